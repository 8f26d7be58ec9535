// The .deb that `make package` builds, as a user would get it: CPack makes it into a temporary folder,
// dpkg-deb unpacks it into a temporary root (never onto this machine), and the test checks what is in it,
// runs the unpacked wslab-cli, and has the validators judge the desktop entry and the AppStream metadata.
#include "core/session/SessionFile.h"
#include "tests/support/ChildProcess.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QMimeDatabase>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace wslab::test;

namespace {

const QString kVersion = QStringLiteral(WSLAB_VERSION);
const QString kSessionType = QStringLiteral("application/x-wslab-session");

QString appId()
{
    return qEnvironmentVariable("WSLAB_APP_ID");
}

// What a program printed, and whether it exited 0 within the time (when not, qWarning says how it ended).
struct Output
{
    bool ok = false;
    QString out;
    QString err;
};

Output runToEnd(const QString &program, const QStringList &args, int timeoutMs = 60000)
{
    Child child(program, args);
    Output result;
    result.ok = child.finish(timeoutMs) && child.process().exitCode() == 0;
    result.out = child.stdoutText();
    result.err = child.stderrText();
    if (!result.ok)
        qWarning().noquote() << program << args.join(u' ') << "failed:" << result.out << result.err;
    return result;
}

// The names in a Depends field, without versions and with each alternative counted.
QStringList dependencyNames(const QString &depends)
{
    QStringList names;
    for (const QString &alternatives : depends.split(u','))
        for (const QString &dependency : alternatives.split(u'|'))
            names << dependency.trimmed().section(u' ', 0, 0).section(u'(', 0, 0);
    return names;
}

// The roff source read as words: font switches dropped and "\-" as the "-" it prints.
QString plainRoff(QString roff)
{
    static const QRegularExpression fontSwitch(QStringLiteral(R"(\\f[BIRP])"));
    return roff.remove(fontSwitch).replace(QStringLiteral("\\-"), QStringLiteral("-"));
}

// The text of the man page's ".SS name" subsection, up to the next heading.
QString subsection(const QString &plainPage, const QString &name)
{
    const QStringList lines = plainPage.split(u'\n');
    const qsizetype start = lines.indexOf(QStringLiteral(".SS ") + name);
    if (start < 0)
        return {};
    QStringList body;
    for (qsizetype i = start + 1;
         i < lines.size() && !lines[i].startsWith(QStringLiteral(".SS ")) && !lines[i].startsWith(QStringLiteral(".SH ")); ++i)
        body << lines[i];
    return body.join(u'\n');
}

// A flag as a word of its own: --port, not the start of --port-range.
QRegularExpression wholeFlag(const QString &flag)
{
    return QRegularExpression(QStringLiteral(R"((?<![\w-]))") + QRegularExpression::escape(flag) + QStringLiteral(R"((?![\w-]))"));
}

// The commands `wslab-cli --help` lists under "Commands:".
QStringList commandsIn(const QString &help)
{
    static const QRegularExpression commandLine(QStringLiteral(R"(^  ([a-z][a-z-]*)  )"));
    const QString listed = help.section(QStringLiteral("Commands:\n"), 1).section(QStringLiteral("\n\n"), 0, 0);
    QStringList commands;
    for (const QString &line : listed.split(u'\n')) {
        const QRegularExpressionMatch match = commandLine.match(line);
        if (match.hasMatch())
            commands << match.captured(1);
    }
    return commands;
}

// The long flags a command's --help lists, --help itself left out.
QStringList flagsIn(const QString &help)
{
    static const QRegularExpression optionLine(QStringLiteral(R"(^\s+(?:-\S+, )*--([a-z0-9][a-z0-9-]*))"));
    QStringList flags;
    for (const QString &line : help.split(u'\n')) {
        const QRegularExpressionMatch match = optionLine.match(line);
        if (match.hasMatch() && !match.captured(1).startsWith(QStringLiteral("help")))
            flags << QStringLiteral("--") + match.captured(1);
    }
    return flags;
}

} // namespace

class tst_Package : public QObject
{
    Q_OBJECT

    QTemporaryDir m_work;
    QString m_deb;
    QString m_root;
    QMap<QString, QString> m_control;

    QString unpacked(const QString &relative) const { return m_root + u'/' + relative; }
    QString cli() const { return unpacked(QStringLiteral("usr/bin/wslab-cli")); }
    QString mimePackage() const { return unpacked(QStringLiteral("usr/share/mime/packages/%1.xml").arg(appId())); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        QVERIFY2(!appId().isEmpty(), "WSLAB_APP_ID must name the application id");
        const QString packages = m_work.filePath(QStringLiteral("packages"));
        const Output cpack = runToEnd(qEnvironmentVariable("WSLAB_CPACK"),
                                      {QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("--config"),
                                       qEnvironmentVariable("WSLAB_CPACK_CONFIG"), QStringLiteral("-B"), packages},
                                      100000);
        QVERIFY2(cpack.ok, qPrintable(cpack.out + cpack.err));

        const QStringList debs = QDir(packages).entryList({QStringLiteral("*.deb")}, QDir::Files);
        QVERIFY2(debs.size() == 1, qPrintable(debs.join(u' ')));
        m_deb = packages + u'/' + debs.first();

        m_root = m_work.filePath(QStringLiteral("root"));
        QVERIFY(runToEnd(QStringLiteral("dpkg-deb"), {QStringLiteral("-x"), m_deb, m_root}).ok);

        const Output fields = runToEnd(QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), m_deb});
        QVERIFY(fields.ok);
        for (const QString &line : fields.out.split(u'\n')) {
            if (!line.startsWith(u' ') && line.contains(QStringLiteral(": ")))
                m_control.insert(line.section(QStringLiteral(": "), 0, 0), line.section(QStringLiteral(": "), 1));
        }
    }

    void fileNamedByPackageVersionAndArchitecture()
    {
        const Output arch = runToEnd(QStringLiteral("dpkg"), {QStringLiteral("--print-architecture")});
        QVERIFY(arch.ok);
        QCOMPARE(QFileInfo(m_deb).fileName(), QStringLiteral("wslab_%1_%2.deb").arg(kVersion, arch.out.trimmed()));
    }

    void controlFieldsDescribeThePackage()
    {
        QCOMPARE(m_control.value(QStringLiteral("Package")), QStringLiteral("wslab"));
        QCOMPARE(m_control.value(QStringLiteral("Version")), kVersion);
        for (const char *field : {"Maintainer", "Section", "Homepage", "Description"})
            QVERIFY2(!m_control.value(QString::fromLatin1(field)).isEmpty(), field);
    }

    // Debian 12's Qt 6 runtime, the QR code library the window draws with, and the platform plugins
    // the window cannot start without.
    void dependsOnWhatTheProgramsLoad_data()
    {
        QTest::addColumn<QString>("package");
        for (const char *name :
             {"libqt6core6", "libqt6gui6", "libqt6widgets6", "libqt6network6", "libqt6websockets6", "libqrcodegencpp1", "qt6-qpa-plugins"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }
    void dependsOnWhatTheProgramsLoad()
    {
        QFETCH(QString, package);
        const QString depends = m_control.value(QStringLiteral("Depends"));
        QVERIFY2(dependencyNames(depends).contains(package), qPrintable(depends));
    }

    void installsEachFile_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("executable");
        const QString id = appId();
        QTest::newRow("wslab") << QStringLiteral("usr/bin/wslab") << true;
        QTest::newRow("wslab-cli") << QStringLiteral("usr/bin/wslab-cli") << true;
        QTest::newRow("desktop entry") << QStringLiteral("usr/share/applications/%1.desktop").arg(id) << false;
        QTest::newRow("metainfo") << QStringLiteral("usr/share/metainfo/%1.metainfo.xml").arg(id) << false;
        QTest::newRow("session MIME type") << QStringLiteral("usr/share/mime/packages/%1.xml").arg(id) << false;
        QTest::newRow("man wslab-cli") << QStringLiteral("usr/share/man/man1/wslab-cli.1.gz") << false;
        QTest::newRow("man wslab") << QStringLiteral("usr/share/man/man1/wslab.1.gz") << false;
        QTest::newRow("scalable icon") << QStringLiteral("usr/share/icons/hicolor/scalable/apps/%1.svg").arg(id) << false;
        // Every PNG size the sources have, so a new size cannot be left out of the package.
        static const QRegularExpression sized(QStringLiteral(R"(^wslab-(\d+)\.png$)"));
        const QStringList pngs = QDir(qEnvironmentVariable("WSLAB_RESOURCES_DIR")).entryList({QStringLiteral("wslab-*.png")});
        QVERIFY2(!pngs.isEmpty(), "WSLAB_RESOURCES_DIR must name resources/ with the icons");
        for (const QString &png : pngs) {
            const QString size = sized.match(png).captured(1);
            QTest::newRow(qPrintable(png)) << QStringLiteral("usr/share/icons/hicolor/%1x%1/apps/%2.png").arg(size, id) << false;
        }
    }
    void installsEachFile()
    {
        QFETCH(QString, path);
        QFETCH(bool, executable);
        const QFileInfo file(unpacked(path));
        QVERIFY2(file.isFile() && file.size() > 0, qPrintable(path));
        QCOMPARE(file.isExecutable(), executable);
    }

    // The tests, benchmarks and fuzzers stay in the build tree.
    void installsOnlyTheTwoPrograms()
    {
        QStringList programs = QDir(unpacked(QStringLiteral("usr/bin"))).entryList(QDir::Files);
        programs.sort();
        QCOMPARE(programs, (QStringList{QStringLiteral("wslab"), QStringLiteral("wslab-cli")}));
        QDirIterator all(m_root, QDir::Files, QDirIterator::Subdirectories);
        while (all.hasNext()) {
            const QString path = all.next();
            QVERIFY2(!QFileInfo(path).isExecutable() || path.startsWith(unpacked(QStringLiteral("usr/bin/"))), qPrintable(path));
        }
    }

    void unpackedCliPrintsItsVersion()
    {
        const Output version = runToEnd(cli(), {QStringLiteral("--version")});
        QVERIFY(version.ok);
        QCOMPARE(version.out, QStringLiteral("wslab-cli %1\n").arg(kVersion));
    }

    void unpackedServeEchoesToUnpackedConnect()
    {
        Child serve(cli(), {QStringLiteral("serve"), QStringLiteral("--host"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                            QStringLiteral("0"), QStringLiteral("--no-announce")});
        const QString line = serve.waitLine(QStringLiteral("listening on "));
        QVERIFY2(line.startsWith(QStringLiteral("listening on ws://127.0.0.1:")), qPrintable(line + serve.stderrText()));
        const QString url = line.mid(QStringLiteral("listening on ").size()) + u'/';

        const QStringList sent{QStringLiteral("hello from the package"), QStringLiteral("zweite Zeile äöü")};
        Child connect(cli(), {QStringLiteral("connect"), url});
        connect.process().write((sent.join(u'\n') + u'\n').toUtf8());
        connect.process().closeWriteChannel();
        QVERIFY(connect.finish());
        QVERIFY2(connect.process().exitCode() == 0, qPrintable(connect.stderrText()));
        QCOMPARE(connect.lines(), sent);

        serve.process().terminate();
        QVERIFY(serve.finish());
        QCOMPARE(serve.process().exitCode(), 0);
    }

    void desktopEntryNamesInstalledProgramAndIcon()
    {
        QFile desktop(unpacked(QStringLiteral("usr/share/applications/%1.desktop").arg(appId())));
        QVERIFY(desktop.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(desktop.readAll()).split(u'\n');
        // %f: a file manager passes the double-clicked session, which wslab opens by position.
        QVERIFY2(lines.contains(QStringLiteral("Exec=wslab %f")), "Exec must start the installed wslab with the file");
        QVERIFY2(lines.contains(QStringLiteral("Icon=") + appId()), "Icon must name the installed hicolor icon");
        const QStringList mimeTypes = lines.filter(QRegularExpression(QStringLiteral("^MimeType=")));
        QCOMPARE(mimeTypes.size(), 1);
        QVERIFY2(mimeTypes.first().mid(9).split(u';').contains(kSessionType), qPrintable(mimeTypes.first()));
    }

    void desktopEntryIsValid()
    {
        const QString validator = QStandardPaths::findExecutable(QStringLiteral("desktop-file-validate"));
        if (validator.isEmpty())
            QSKIP("desktop-file-validate is not installed (Debian: desktop-file-utils, scripts/install-deps.sh)");
        const Output verdict = runToEnd(validator, {unpacked(QStringLiteral("usr/share/applications/%1.desktop").arg(appId()))});
        QVERIFY2(verdict.ok, qPrintable(verdict.out + verdict.err));
    }

    void metainfoNamesThisReleaseAndItsDesktopEntry()
    {
        QFile file(unpacked(QStringLiteral("usr/share/metainfo/%1.metainfo.xml").arg(appId())));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QString id;
        QString launchable;
        QStringList releases;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == u"id")
                id = xml.readElementText();
            else if (xml.name() == u"launchable")
                launchable = xml.readElementText();
            else if (xml.name() == u"release")
                releases << xml.attributes().value(QStringLiteral("version")).toString();
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(id, appId());
        QCOMPARE(launchable, appId() + QStringLiteral(".desktop"));
        QVERIFY2(!releases.isEmpty() && releases.first() == kVersion,
                 qPrintable(QStringLiteral("the newest <release> must be %1, found %2").arg(kVersion, releases.join(u' '))));
    }

    void metainfoIsValid()
    {
        const QString validator = QStandardPaths::findExecutable(QStringLiteral("appstreamcli"));
        if (validator.isEmpty())
            QSKIP("appstreamcli is not installed (Debian: appstream, scripts/install-deps.sh)");
        const Output verdict = runToEnd(validator, {QStringLiteral("validate"), QStringLiteral("--no-net"),
                                                    unpacked(QStringLiteral("usr/share/metainfo/%1.metainfo.xml").arg(appId()))});
        QVERIFY2(verdict.ok, qPrintable(verdict.out + verdict.err));
    }

    void mimeTypeIsWellFormedXml()
    {
        const QString xmllint = QStandardPaths::findExecutable(QStringLiteral("xmllint"));
        if (xmllint.isEmpty())
            QSKIP("xmllint is not installed (Debian: libxml2-utils, scripts/install-deps.sh)");
        const Output verdict = runToEnd(xmllint, {QStringLiteral("--noout"), mimePackage()});
        QVERIFY2(verdict.ok, qPrintable(verdict.out + verdict.err));
    }

    // What the shared-mime-info trigger does on a system, done to a copy: update-mime-database builds
    // a database from the package's file alone, and a file manager's lookup (Qt's, pointed at that
    // database) names a session by its extension and, renamed, by its content.
    void mimeDatabaseKnowsSessions()
    {
        const QString updater = QStandardPaths::findExecutable(QStringLiteral("update-mime-database"));
        if (updater.isEmpty())
            QSKIP("update-mime-database is not installed (Debian: shared-mime-info, scripts/install-deps.sh)");
        const QString dataDir = m_work.filePath(QStringLiteral("mime-data"));
        const QString mimeDir = dataDir + QStringLiteral("/mime");
        QVERIFY(QDir().mkpath(mimeDir + QStringLiteral("/packages")));
        QVERIFY(QFile::copy(mimePackage(), mimeDir + QStringLiteral("/packages/") + QFileInfo(mimePackage()).fileName()));
        QVERIFY(runToEnd(updater, {mimeDir}).ok);

        QFile globs(mimeDir + QStringLiteral("/globs2"));
        QVERIFY(globs.open(QIODevice::ReadOnly));
        // globs2 lines are weight:type:pattern.
        const QString pattern = QStringLiteral("*.") + QString::fromLatin1(wslab::SessionFile::kExtension);
        const QStringList globLines = QString::fromUtf8(globs.readAll()).split(u'\n').filter(QStringLiteral(":") + pattern);
        QCOMPARE(globLines.size(), 1);
        QCOMPARE(globLines.first().section(u':', 1), kSessionType + u':' + pattern);

        // Qt reads the databases of XDG_DATA_DIRS when it first needs one: nothing in this test did before.
        const QByteArray savedDirs = qgetenv("XDG_DATA_DIRS");
        const QByteArray savedHome = qgetenv("XDG_DATA_HOME");
        const auto restore = qScopeGuard([&] {
            qputenv("XDG_DATA_DIRS", savedDirs);
            qputenv("XDG_DATA_HOME", savedHome);
        });
        qputenv("XDG_DATA_DIRS", QFile::encodeName(dataDir));
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_work.filePath(QStringLiteral("no-user-data"))));
        const QMimeDatabase mimes;
        const QMimeType byName = mimes.mimeTypeForFile(QStringLiteral("lesson.wslab"), QMimeDatabase::MatchExtension);
        QCOMPARE(byName.name(), kSessionType);
        QCOMPARE(byName.comment(), QStringLiteral("WsLab session"));
        QVERIFY(byName.inherits(QStringLiteral("application/json")));

        // A session as this WsLab writes it, mailed without its extension; and JSON of another format.
        const QByteArray session = wslab::SessionFile::toJson({{QStringLiteral("server/port"), 9001}});
        QCOMPARE(mimes.mimeTypeForData(session).name(), kSessionType);
        QVERIFY(mimes.mimeTypeForData(QByteArrayLiteral("{\"format\": \"wslab-lesson\", \"version\": 1}")).name() != kSessionType);
    }

    // The man page keeps up with the program: each command the unpacked wslab-cli lists has its own
    // subsection, naming every flag that command's --help prints.
    void manPageCoversEveryCommandAndFlag()
    {
        const Output page =
            runToEnd(QStringLiteral("gzip"), {QStringLiteral("-dc"), unpacked(QStringLiteral("usr/share/man/man1/wslab-cli.1.gz"))});
        QVERIFY(page.ok);
        const QString plainPage = plainRoff(page.out);

        const Output help = runToEnd(cli(), {QStringLiteral("--help")});
        QVERIFY(help.ok);
        const QStringList commands = commandsIn(help.out);
        QVERIFY2(commands.size() >= 8, qPrintable(help.out));
        for (const QString &command : commands) {
            const QString section = subsection(plainPage, command);
            QVERIFY2(!section.isEmpty(), qPrintable(QStringLiteral("no \".SS %1\" in wslab-cli.1").arg(command)));
            const Output commandHelp = runToEnd(cli(), {command, QStringLiteral("--help")});
            QVERIFY(commandHelp.ok);
            const QStringList flags = flagsIn(commandHelp.out);
            QVERIFY2(!flags.isEmpty(), qPrintable(commandHelp.out));
            for (const QString &flag : flags)
                QVERIFY2(section.contains(wholeFlag(flag)),
                         qPrintable(QStringLiteral("wslab-cli.1 says nothing of %1 %2").arg(command, flag)));
        }
    }
};

QTEST_GUILESS_MAIN(tst_Package)
#include "tst_Package.moc"
