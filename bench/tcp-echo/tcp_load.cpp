// The load client for the plain TCP ceiling: the same load as `wslab-cli bench` (N connections, W
// messages in flight on each, fixed-size stamped messages, every echo checked byte for byte and its
// round trip timed), over raw TCP with epoll, and the same JSON keys. A message is `size` bytes of
// the stream; it has come back when `size` more bytes have.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

namespace {

struct Connection
{
    int fd = -1;
    long long quota = 0;
    long long nextToSend = 0;
    long long nextExpected = 0;
    std::string out; // bytes not yet taken by the kernel
    size_t outOffset = 0;
    std::string expected; // the message being received
    size_t receivedOfMessage = 0;
    std::vector<long long> sentAtNs;
    bool open = false;
};

long long nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Same shape as LoadGenerator::payloadFor: a stamp, then filler that changes with the sequence.
std::string payloadFor(int connection, long long sequence, int size)
{
    std::string p = "c" + std::to_string(connection) + ':' + std::to_string(sequence) + ':';
    p.append(size_t(size) - p.size(), char('a' + sequence % 26));
    return p;
}

void usage()
{
    std::fprintf(stderr, "usage: bench-tcp-load HOST:PORT [--connections N] [--messages M] [--size BYTES] [--window W] [--timeout S]\n");
    std::exit(2);
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc < 2)
        usage();
    std::string target = argv[1];
    if (target.rfind("tcp://", 0) == 0)
        target = target.substr(6);
    const size_t colon = target.rfind(':');
    if (colon == std::string::npos)
        usage();
    const std::string host = target.substr(0, colon);
    const int port = std::atoi(target.c_str() + colon + 1);
    int connections = 1, size = 64, window = 1, timeoutSeconds = 60;
    long long messages = 10000;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        const auto next = [&] {
            if (i + 1 >= argc)
                usage();
            return std::atoll(argv[++i]);
        };
        if (a == "--connections")
            connections = int(next());
        else if (a == "--messages")
            messages = next();
        else if (a == "--size")
            size = int(next());
        else if (a == "--window")
            window = int(next());
        else if (a == "--timeout")
            timeoutSeconds = int(next());
        else if (a == "--json")
            continue;
        else
            usage();
    }
    if (connections < 1 || size < 24 || window < 1 || messages < 1)
        usage();

    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(uint16_t(port));
    inet_pton(AF_INET, host.c_str(), &address.sin_addr);
    const int poller = epoll_create1(0);
    std::vector<Connection> conns(static_cast<size_t>(connections));
    long long errors = 0, mismatches = 0, sent = 0, received = 0;
    std::string errorText;
    std::vector<long long> rtts;
    rtts.reserve(size_t(messages));
    const int one = 1;
    const long long connectStart = nowNs();
    for (int i = 0; i < connections; ++i) {
        Connection &c = conns[size_t(i)];
        c.quota = messages / connections + (i < messages % connections ? 1 : 0);
        c.sentAtNs.assign(size_t(window), 0);
        c.fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(c.fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
            ++errors;
            errorText = std::string("connect: ") + std::strerror(errno);
            close(c.fd);
            c.fd = -1;
            continue;
        }
        setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        fcntl(c.fd, F_SETFL, fcntl(c.fd, F_GETFL) | O_NONBLOCK);
        c.open = true;
        epoll_event e{};
        e.events = EPOLLIN;
        e.data.u32 = uint32_t(i);
        epoll_ctl(poller, EPOLL_CTL_ADD, c.fd, &e);
    }
    const double connectMs = double(nowNs() - connectStart) / 1e6;

    const auto flush = [&](Connection &c, int index) {
        while (c.outOffset < c.out.size()) {
            const ssize_t n = write(c.fd, c.out.data() + c.outOffset, c.out.size() - c.outOffset);
            if (n < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK)
                    break;
                return false;
            }
            c.outOffset += size_t(n);
        }
        if (c.outOffset == c.out.size()) {
            c.out.clear();
            c.outOffset = 0;
        }
        epoll_event e{};
        e.events = EPOLLIN | (c.out.empty() ? 0u : uint32_t(EPOLLOUT));
        e.data.u32 = uint32_t(index);
        epoll_ctl(poller, EPOLL_CTL_MOD, c.fd, &e);
        return true;
    };
    const auto pump = [&](Connection &c, int index) {
        bool queued = false;
        while (c.open && c.nextToSend - c.nextExpected < window && c.nextToSend < c.quota) {
            c.sentAtNs[size_t(c.nextToSend % window)] = nowNs();
            c.out += payloadFor(index, c.nextToSend, size);
            ++c.nextToSend;
            ++sent;
            queued = true;
        }
        return !queued || flush(c, index);
    };
    const auto fail = [&](Connection &c, const char *why) {
        ++errors;
        if (errorText.empty())
            errorText = why;
        epoll_ctl(poller, EPOLL_CTL_DEL, c.fd, nullptr);
        close(c.fd);
        c.open = false;
    };

    const long long firstSend = nowNs();
    long long lastReceive = firstSend;
    for (int i = 0; i < connections; ++i) {
        if (conns[size_t(i)].open && !pump(conns[size_t(i)], i))
            fail(conns[size_t(i)], "write failed");
    }
    std::vector<char> buffer(256 * 1024);
    std::vector<epoll_event> ready(256);
    const long long deadline = firstSend + (long long)timeoutSeconds * 1000000000LL;
    const auto allDone = [&] {
        for (const Connection &c : conns) {
            if (c.open && c.nextExpected < c.quota)
                return false;
        }
        return true;
    };
    while (!allDone()) {
        if (nowNs() > deadline) {
            ++errors;
            errorText = "timeout: " + std::to_string(sent - received) + " echoes missing";
            break;
        }
        const int count = epoll_wait(poller, ready.data(), int(ready.size()), 1000);
        for (int k = 0; k < count; ++k) {
            const int index = int(ready[size_t(k)].data.u32);
            Connection &c = conns[size_t(index)];
            if (!c.open)
                continue;
            if ((ready[size_t(k)].events & EPOLLOUT) && !flush(c, index)) {
                fail(c, "write failed");
                continue;
            }
            if (!(ready[size_t(k)].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
                continue;
            const ssize_t n = read(c.fd, buffer.data(), buffer.size());
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                continue;
            if (n <= 0) {
                fail(c, "connection closed by the server");
                continue;
            }
            const long long now = nowNs();
            size_t at = 0;
            while (at < size_t(n)) {
                if (c.nextExpected >= c.nextToSend) {
                    ++mismatches; // bytes nobody sent
                    break;
                }
                if (c.receivedOfMessage == 0)
                    c.expected = payloadFor(index, c.nextExpected, size);
                const size_t take = std::min(size_t(n) - at, size_t(size) - c.receivedOfMessage);
                if (std::memcmp(buffer.data() + at, c.expected.data() + c.receivedOfMessage, take) != 0)
                    ++mismatches;
                at += take;
                c.receivedOfMessage += take;
                if (c.receivedOfMessage == size_t(size)) {
                    c.receivedOfMessage = 0;
                    rtts.push_back(now - c.sentAtNs[size_t(c.nextExpected % window)]);
                    ++c.nextExpected;
                    ++received;
                    lastReceive = now;
                }
            }
            if (!pump(c, index))
                fail(c, "write failed");
        }
    }
    for (Connection &c : conns) {
        if (c.open)
            close(c.fd);
    }

    const double seconds = double(lastReceive - firstSend) / 1e9;
    std::sort(rtts.begin(), rtts.end());
    const auto at = [&](double q) {
        return rtts.empty() ? 0.0 : double(rtts[std::min(rtts.size() - 1, size_t(q * double(rtts.size())))]) / 1e3;
    };
    const double mean = rtts.empty() ? 0.0 : std::accumulate(rtts.begin(), rtts.end(), 0.0) / double(rtts.size()) / 1e3;
    int opened = 0;
    for (const Connection &c : conns)
        opened += c.fd >= 0 ? 1 : 0;
    std::printf("{\"connections\":%d,\"sent\":%lld,\"received\":%lld,\"mismatches\":%lld,\"errors\":%lld,"
                "\"error_texts\":[%s],\"seconds\":%.6f,\"messages_per_second\":%.3f,\"bytes_per_second\":%.3f,"
                "\"connect_mean_ms\":%.3f,\"connect_max_ms\":%.3f,\"rtt_p50_us\":%.3f,\"rtt_p90_us\":%.3f,"
                "\"rtt_p99_us\":%.3f,\"rtt_p999_us\":%.3f,\"rtt_max_us\":%.3f,\"rtt_mean_us\":%.3f}\n",
                opened, sent, received, mismatches, errors, errorText.empty() ? "" : ("\"" + errorText + "\"").c_str(), seconds,
                seconds > 0 ? double(received) / seconds : 0.0, seconds > 0 ? double(received) * size / seconds : 0.0,
                connectMs / connections, connectMs, at(0.5), at(0.9), at(0.99), at(0.999), rtts.empty() ? 0.0 : double(rtts.back()) / 1e3,
                mean);
    return (errors > 0 || mismatches > 0 || received == 0) ? 1 : 0;
}
