#include "app/wslab-cli/BenchCommand.h"
#include "app/wslab-cli/CertCommand.h"
#include "app/wslab-cli/ChatCommand.h"
#include "app/wslab-cli/CliArgs.h"
#include "app/wslab-cli/ConnectCommand.h"
#include "app/wslab-cli/ConvertCommand.h"
#include "app/wslab-cli/DiscoverCommand.h"
#include "app/wslab-cli/InspectCommand.h"
#include "app/wslab-cli/ReplayCommand.h"
#include "app/wslab-cli/RunCommand.h"
#include "app/wslab-cli/ServeCommand.h"

#include <QCoreApplication>

#include <cstdio>
#include <sys/resource.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace {

const char kUsage[] = "Usage: wslab-cli <command> [options]\n"
                      "\n"
                      "WsLab's headless front end: the same core as the lab window, for scripts and servers.\n"
                      "\n"
                      "Commands:\n"
                      "  serve     host a WebSocket server (echo, broadcast, silent, chat, or mock rules)\n"
                      "  connect   connect to a server; stdin lines out, received messages on stdout\n"
                      "  cert      make a self-signed certificate set for wss://\n"
                      "  bench     load an echo server and report throughput and round-trip times\n"
                      "  discover  list the WsLab servers announcing themselves on this LAN\n"
                      "  chat      join a chat server (serve --mode chat): stdin lines said, messages on stdout\n"
                      "  inspect   relay to a server, print every frame both ways, and inject faults\n"
                      "  run       run a scripted check (docs/scenarios.md); exit 0 when every step passed\n"
                      "  convert   convert a log between JSON Lines (.jsonl) and HAR (.har)\n"
                      "  replay    send a recorded connection's messages again to a URL, and print the replies\n"
                      "\n"
                      "  wslab-cli <command> --help   options of one command\n"
                      "  wslab-cli --version          print the version\n";

// Thousands of connections need thousands of descriptors; the soft limit is often 1024.
void raiseOpenFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

// A large message is allocated, copied and freed several times on its way through Qt. By default
// glibc serves blocks over 128 KiB with mmap and hands freed heap back to the kernel, so every 1 MiB
// message faulted its pages in anew: that, not copying, was most of the cost of large messages, in
// serve and in bench alike. Blocks up to 32 MiB now come from the heap, and up to 64 MiB of freed
// heap is kept for the next message.
void keepFreedMemoryForReuse()
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
}

} // namespace

int main(int argc, char *argv[])
{
    keepFreedMemoryForReuse();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("wslab-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WSLAB_VERSION));
    raiseOpenFileLimit();

    const QStringList args = QCoreApplication::arguments();
    const QString command = args.value(1);
    try {
        if (command == u"serve")
            return wslab::cli::runServe(args);
        if (command == u"connect")
            return wslab::cli::runConnect(args);
        if (command == u"cert")
            return wslab::cli::runCert(args);
        if (command == u"bench")
            return wslab::cli::runBench(args);
        if (command == u"discover")
            return wslab::cli::runDiscover(args);
        if (command == u"chat")
            return wslab::cli::runChat(args);
        if (command == u"inspect")
            return wslab::cli::runInspect(args);
        if (command == u"run")
            return wslab::cli::runScenario(args);
        if (command == u"convert")
            return wslab::cli::runConvert(args);
        if (command == u"replay")
            return wslab::cli::runReplay(args);
        if (command == u"--version" || command == u"-v") {
            std::printf("wslab-cli %s\n", WSLAB_VERSION);
            return 0;
        }
        if (command == u"--help" || command == u"-h" || command == u"help") {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (command.isEmpty())
            throw wslab::cli::UsageError(QStringLiteral(
                "missing command (serve, connect, chat, inspect, run, convert, replay, cert, bench or discover); see wslab-cli --help"));
        throw wslab::cli::UsageError(QStringLiteral("unknown command \"%1\"; see wslab-cli --help").arg(command));
    } catch (const wslab::cli::UsageError &e) {
        std::fprintf(stderr, "wslab-cli: %s\n", e.what());
        return 2;
    }
}
