// The one table of settings that wslab-cli and the window both read: its defaults are the config
// structs' own, each entry reads and writes the field it names, keys and flags are unique, ranges
// are sane, and the one rule judges values the way both front ends rely on.
#include "core/settings/SettingsTable.h"

#include <QSet>
#include <QtTest>

#include <functional>

using namespace wslab;

namespace {

// Each key's field, read straight from the struct: what the table's accessors must agree with.
const QHash<QString, std::function<qint64(const ServerConfig &)>> &serverFields()
{
    static const QHash<QString, std::function<qint64(const ServerConfig &)>> fields{
        {QStringLiteral("port"), [](const ServerConfig &c) { return qint64(c.port); }},
        {QStringLiteral("maxConnections"), [](const ServerConfig &c) { return qint64(c.maxConnections); }},
        {QStringLiteral("maxPerAddress"), [](const ServerConfig &c) { return qint64(c.maxPerAddress); }},
        {QStringLiteral("maxPendingHandshakes"), [](const ServerConfig &c) { return qint64(c.maxPendingHandshakes); }},
        {QStringLiteral("maxMessageKiB"), [](const ServerConfig &c) { return c.maxMessageSize; }},
        {QStringLiteral("rateLimit"), [](const ServerConfig &c) { return qint64(c.rateLimit); }},
        {QStringLiteral("slowReaderKiB"), [](const ServerConfig &c) { return c.slowReaderLimit; }},
        {QStringLiteral("pingInterval"), [](const ServerConfig &c) { return qint64(c.heartbeat.interval.count()); }},
        {QStringLiteral("pongTimeout"), [](const ServerConfig &c) { return qint64(c.heartbeat.pongTimeout.count()); }},
        {QStringLiteral("idleTimeout"), [](const ServerConfig &c) { return qint64(c.idleTimeout.count()); }},
        {QStringLiteral("handshakeTimeout"), [](const ServerConfig &c) { return qint64(c.handshakeTimeout.count()); }},
        {QStringLiteral("closeTimeout"), [](const ServerConfig &c) { return qint64(c.closeTimeout.count()); }},
        {QStringLiteral("maxHeaderLine"), [](const ServerConfig &c) { return qint64(c.httpLimits.maxLineBytes); }},
        {QStringLiteral("maxHeaders"), [](const ServerConfig &c) { return qint64(c.httpLimits.maxHeaders); }},
        {QStringLiteral("announce"), [](const ServerConfig &c) { return qint64(c.announce); }},
    };
    return fields;
}

const QHash<QString, std::function<qint64(const ClientConfig &)>> &clientFields()
{
    static const QHash<QString, std::function<qint64(const ClientConfig &)>> fields{
        {QStringLiteral("reconnect"), [](const ClientConfig &c) { return qint64(c.reconnect.enabled); }},
        {QStringLiteral("reconnectBase"), [](const ClientConfig &c) { return qint64(c.reconnect.baseDelay.count()); }},
        {QStringLiteral("reconnectCap"), [](const ClientConfig &c) { return qint64(c.reconnect.maxDelay.count()); }},
        {QStringLiteral("maxAttempts"), [](const ClientConfig &c) { return qint64(c.reconnect.maxAttempts); }},
        {QStringLiteral("pingInterval"), [](const ClientConfig &c) { return qint64(c.heartbeat.interval.count()); }},
        {QStringLiteral("pongTimeout"), [](const ClientConfig &c) { return qint64(c.heartbeat.pongTimeout.count()); }},
        {QStringLiteral("connectTimeout"), [](const ClientConfig &c) { return qint64(c.connectTimeout.count()); }},
        {QStringLiteral("closeLinger"), [](const ClientConfig &c) { return qint64(c.closeLinger.count()); }},
        {QStringLiteral("insecure"), [](const ClientConfig &c) { return qint64(c.ignoreCertificateErrors); }},
    };
    return fields;
}

template <class Config>
void checkTable(const QList<Setting<Config>> &table, const QHash<QString, std::function<qint64(const Config &)>> &fields)
{
    QCOMPARE(table.size(), fields.size());
    QSet<QString> keys;
    QSet<QString> flags;
    for (const Setting<Config> &s : table) {
        QVERIFY2(!keys.contains(s.key), qPrintable(s.key));
        QVERIFY2(!flags.contains(s.flag), qPrintable(s.flag));
        keys.insert(s.key);
        flags.insert(s.flag);
        QVERIFY2(fields.contains(s.key), qPrintable(s.key));
        const auto field = fields.value(s.key);

        // The default is the struct's, and lies in the range.
        QCOMPARE(s.defaultValue(), field(Config{}));
        QVERIFY2(s.min <= s.defaultValue() && s.defaultValue() <= s.max, qPrintable(s.key));
        QVERIFY2(s.min >= 0 && s.min < s.max, qPrintable(s.key));
        QVERIFY2(!s.help.isEmpty() && !s.help.contains(u'\n'), qPrintable(s.key));
        QVERIFY2(!s.flag.startsWith(u'-') && !s.flag.contains(u' '), qPrintable(s.flag));
        if (s.unit == SettingUnit::Switch) {
            QCOMPARE(s.min, 0);
            QCOMPARE(s.max, 1);
        }
        // The window counts whole multiples of formScale and keeps an int: the range must fit.
        QVERIFY2(s.max / s.formScale <= std::numeric_limits<int>::max(), qPrintable(s.key));

        // Writing the ends of the range reaches the named field, and only it among the table's fields.
        for (const qint64 value : {s.min, s.max}) {
            Config c;
            s.write(c, value);
            QCOMPARE(field(c), value);
            QCOMPARE(s.read(c), value);
            for (const Setting<Config> &other : table) {
                if (other.key != s.key)
                    QVERIFY2(other.read(c) == other.defaultValue(), qPrintable(s.key + QStringLiteral(" changed ") + other.key));
            }
        }
    }
}

} // namespace

class tst_SettingsTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void serverTable() { checkTable(serverSettings(), serverFields()); }
    void clientTable() { checkTable(clientSettings(), clientFields()); }

    // The keys the window has always saved under, so settings written by an older WsLab still load.
    void keepsTheWindowsSavedKeys()
    {
        for (const char *key :
             {"port", "maxConnections", "maxPerAddress", "maxMessageKiB", "rateLimit", "pingInterval", "pongTimeout", "slowReaderKiB",
              "idleTimeout", "handshakeTimeout", "closeTimeout", "maxHeaderLine", "maxHeaders", "announce"})
            QVERIFY2(findSetting(serverSettings(), QString::fromLatin1(key)), key);
        for (const char *key : {"reconnect", "reconnectBase", "reconnectCap", "maxAttempts", "pingInterval", "pongTimeout", "insecure"})
            QVERIFY2(findSetting(clientSettings(), QString::fromLatin1(key)), key);
        // KiB keys hold KiB.
        QCOMPARE(findSetting(serverSettings(), QStringLiteral("maxMessageKiB"))->formScale, 1024);
        QCOMPARE(findSetting(serverSettings(), QStringLiteral("slowReaderKiB"))->formScale, 1024);
    }

    void judgesTheRangeAndNothingElse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("min") << QStringLiteral("64") << true;
        QTest::newRow("max") << QStringLiteral("1048576") << true;
        QTest::newRow("min - 1") << QStringLiteral("63") << false;
        QTest::newRow("max + 1") << QStringLiteral("1048577") << false;
        QTest::newRow("negative") << QStringLiteral("-64") << false;
        QTest::newRow("word") << QStringLiteral("lots") << false;
        QTest::newRow("fraction") << QStringLiteral("100.5") << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("overflow") << QStringLiteral("99999999999999999999") << false;
    }

    void judgesTheRangeAndNothingElse()
    {
        QFETCH(QString, text);
        QFETCH(bool, accepted);
        const Setting<ServerConfig> *line = findSetting(serverSettings(), QStringLiteral("maxHeaderLine"));
        QVERIFY(line);
        qint64 value = -1;
        const QString problem = judgeSetting(*line, text, &value);
        QCOMPARE(problem.isEmpty(), accepted);
        if (accepted) {
            QCOMPARE(value, text.toLongLong());
        } else {
            QCOMPARE(value, -1);
            QCOMPARE(problem, QStringLiteral("--max-header-line must be a whole number of bytes from 64 to 1048576, got \"%1\"").arg(text));
        }
    }

    void helpSaysTheDefault()
    {
        QCOMPARE(settingHelp(*findSetting(serverSettings(), QStringLiteral("maxMessageKiB"))),
                 QStringLiteral("Largest incoming message; a larger one gets close 1009 (Message Too Big) (default 16 MiB)."));
        QCOMPARE(settingHelp(*findSetting(serverSettings(), QStringLiteral("idleTimeout"))),
                 QStringLiteral("Close peers that send nothing for this long (default 0: no idle limit)."));
        QCOMPARE(settingHelp(*findSetting(clientSettings(), QStringLiteral("connectTimeout"))).right(20),
                 QStringLiteral(" (default 10000 ms)."));
    }

    // A script asking for 10 ms retries gets them: the floor under every delay follows the base down.
    void reconnectBaseLowersTheFloor()
    {
        const Setting<ClientConfig> *base = findSetting(clientSettings(), QStringLiteral("reconnectBase"));
        ClientConfig c;
        base->write(c, 10);
        QCOMPARE(c.reconnect.minDelay.count(), 10);
        ClientConfig d;
        base->write(d, 5000);
        QCOMPARE(d.reconnect.minDelay, ClientConfig{}.reconnect.minDelay);
    }
};

QTEST_GUILESS_MAIN(tst_SettingsTable)
#include "tst_SettingsTable.moc"
