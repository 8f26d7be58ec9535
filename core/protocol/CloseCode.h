#pragma once

#include <QString>

namespace wslab::CloseCode {

// The codes WsLab names itself; anything else is described by its range (RFC 6455 §7.4, IANA registry).
enum Known : int {
    Normal = 1000,
    GoingAway = 1001,
    ProtocolError = 1002,
    UnsupportedData = 1003,
    NoStatusReceived = 1005,
    AbnormalClosure = 1006,
    InvalidPayload = 1007,
    PolicyViolation = 1008,
    MessageTooBig = 1009,
    MandatoryExtension = 1010,
    InternalError = 1011,
    ServiceRestart = 1012,
    TryAgainLater = 1013,
    BadGateway = 1014,
    TlsHandshake = 1015,
};

// Short name such as "Normal Closure", or the range's name for unregistered codes.
QString name(int code);
// One line a student can read: what the code means and who sends it.
QString meaning(int code);
// "1008 Policy Violation"
QString describe(int code);

// Whether an endpoint may put this code on the wire. 1005, 1006 and 1015 are reserved for reporting
// only; Qt 6.4 would send them anyway, so every outgoing close is checked here first.
bool isSendable(int code, QString *whyNot = nullptr);

// The longest close reason: a control frame carries at most 125 bytes, two of them the code (§5.5).
constexpr int kMaxReasonBytes = 123;
// Whether a close with this code and reason may be sent: a sendable code, and a reason of at most
// kMaxReasonBytes bytes of UTF-8 (bytes, not characters: "é" counts two). The one rule the Server,
// the Client and the window's close dialog all apply.
bool isSendableClose(int code, const QString &reason, QString *whyNot = nullptr);

} // namespace wslab::CloseCode
