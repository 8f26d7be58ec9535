#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace wslab {

// Asks for a close code and reason, explains the code as it is typed, and refuses what may not be
// sent (1005, 1006, 1015, out of range, a reason over 123 bytes of UTF-8) before anything reaches the
// wire. Kicking a peer from the server and closing a client both use it.
class CloseDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CloseDialog)
public:
    explicit CloseDialog(const QString &title, QWidget *parent = nullptr);

    int code() const;
    void setCode(int code);
    QString reason() const;
    void setReason(const QString &reason);
    bool isAcceptable() const;
    QString problem() const;

private:
    void validate();

    QSpinBox *m_code;
    QLineEdit *m_reason;
    QLabel *m_meaning;
    QDialogButtonBox *m_buttons;
};

} // namespace wslab
