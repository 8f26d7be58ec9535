#pragma once

#include <QSslConfiguration>
#include <QTcpServer>

#include <optional>

namespace wslab {

// The server's listening socket. With TLS set, each accepted connection is a QSslSocket whose
// handshake starts at once; the Gate then reads the upgrade request through it, decrypted.
class Listener : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Listener)
public:
    explicit Listener(QObject *parent = nullptr);

    void setTls(std::optional<QSslConfiguration> tls) { m_tls = std::move(tls); }
    bool isTls() const { return m_tls.has_value(); }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    std::optional<QSslConfiguration> m_tls;
};

} // namespace wslab
