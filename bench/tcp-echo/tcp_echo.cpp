// The ceiling of this machine for an echo: a plain TCP echo over epoll, one thread, no framing, no
// masking, no Qt (bench/run.sh raises its open-file limit). Whatever the WebSocket servers lose against it is what framing and their runtimes cost.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

struct Connection
{
    std::string pending; // echoed bytes the kernel did not take yet
    size_t offset = 0;
};

void setNonBlocking(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

} // namespace

int main(int argc, char *argv[])
{
    const int port = argc > 1 ? std::atoi(argv[1]) : 0;
    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(uint16_t(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 || listen(listener, 4096) != 0) {
        std::fprintf(stderr, "bench-tcp-echo: %s\n", std::strerror(errno));
        return 1;
    }
    socklen_t length = sizeof address;
    getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length);
    setNonBlocking(listener);
    std::printf("listening on tcp://127.0.0.1:%u\n", unsigned(ntohs(address.sin_port)));
    std::fflush(stdout);

    const int poller = epoll_create1(0);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = listener;
    epoll_ctl(poller, EPOLL_CTL_ADD, listener, &event);
    std::unordered_map<int, Connection> connections;
    std::vector<char> buffer(256 * 1024);
    std::vector<epoll_event> ready(256);

    const auto closeConnection = [&](int fd) {
        epoll_ctl(poller, EPOLL_CTL_DEL, fd, nullptr);
        close(fd);
        connections.erase(fd);
    };
    // Writes what is pending; while the peer does not read, stop reading from it (backpressure).
    const auto flush = [&](int fd, Connection &c) {
        while (c.offset < c.pending.size()) {
            const ssize_t n = write(fd, c.pending.data() + c.offset, c.pending.size() - c.offset);
            if (n < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK)
                    break;
                return false;
            }
            c.offset += size_t(n);
        }
        epoll_event e{};
        e.data.fd = fd;
        if (c.offset == c.pending.size()) {
            c.pending.clear();
            c.offset = 0;
            e.events = EPOLLIN;
        } else {
            e.events = EPOLLOUT;
        }
        epoll_ctl(poller, EPOLL_CTL_MOD, fd, &e);
        return true;
    };

    for (;;) {
        const int count = epoll_wait(poller, ready.data(), int(ready.size()), -1);
        if (count < 0 && errno != EINTR)
            return 1;
        for (int i = 0; i < count; ++i) {
            const int fd = ready[size_t(i)].data.fd;
            if (fd == listener) {
                for (;;) {
                    const int client = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK);
                    if (client < 0)
                        break;
                    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    connections.emplace(client, Connection{});
                    epoll_event e{};
                    e.events = EPOLLIN;
                    e.data.fd = client;
                    epoll_ctl(poller, EPOLL_CTL_ADD, client, &e);
                }
                continue;
            }
            auto it = connections.find(fd);
            if (it == connections.end())
                continue;
            Connection &c = it->second;
            if (ready[size_t(i)].events & EPOLLOUT) {
                if (!flush(fd, c))
                    closeConnection(fd);
                continue;
            }
            const ssize_t n = read(fd, buffer.data(), buffer.size());
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                closeConnection(fd);
                continue;
            }
            if (n < 0)
                continue;
            ssize_t written = write(fd, buffer.data(), size_t(n));
            if (written < 0) {
                if (errno != EAGAIN && errno != EWOULDBLOCK) {
                    closeConnection(fd);
                    continue;
                }
                written = 0;
            }
            if (written < n) {
                c.pending.assign(buffer.data() + written, size_t(n - written));
                c.offset = 0;
                if (!flush(fd, c))
                    closeConnection(fd);
            }
        }
    }
}
