#include "ui/close/CloseDialog.h"

#include "ui/style/LabColors.h"

#include "core/protocol/CloseCode.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace wslab {

CloseDialog::CloseDialog(const QString &title, QWidget *parent)
    : QDialog(parent)
    , m_code(new QSpinBox(this))
    , m_reason(new QLineEdit(this))
    , m_meaning(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("kickDialog"));
    setWindowTitle(title);
    m_code->setObjectName(QStringLiteral("kickCode"));
    m_code->setRange(0, 9999);
    m_code->setValue(1000);
    m_code->setToolTip(
        tr("The 2-byte status code of the close frame: 1000-1014 are defined by RFC 6455, 3000-3999 registered, 4000-4999 private"));
    m_reason->setObjectName(QStringLiteral("kickReason"));
    m_reason->setPlaceholderText(tr("optional, at most %1 bytes of UTF-8").arg(CloseCode::kMaxReasonBytes));
    m_meaning->setObjectName(QStringLiteral("kickMeaning"));
    m_meaning->setWordWrap(true);
    m_meaning->setMinimumWidth(320);
    auto *form = new QFormLayout(this);
    form->addRow(tr("Close code"), m_code);
    form->addRow(QString(), m_meaning);
    form->addRow(tr("Reason"), m_reason);
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_code, &QSpinBox::valueChanged, this, &CloseDialog::validate);
    connect(m_reason, &QLineEdit::textChanged, this, &CloseDialog::validate);
    validate();
}

int CloseDialog::code() const
{
    return m_code->value();
}

void CloseDialog::setCode(int code)
{
    m_code->setValue(code);
}

QString CloseDialog::reason() const
{
    return m_reason->text();
}

void CloseDialog::setReason(const QString &reason)
{
    m_reason->setText(reason);
}

QString CloseDialog::problem() const
{
    QString why;
    CloseCode::isSendableClose(code(), reason(), &why);
    return why;
}

bool CloseDialog::isAcceptable() const
{
    return problem().isEmpty();
}

void CloseDialog::validate()
{
    const QString why = problem();
    const QString meaning =
        QStringLiteral("<b>%1</b>: %2").arg(CloseCode::name(code()).toHtmlEscaped(), CloseCode::meaning(code()).toHtmlEscaped());
    m_meaning->setText(
        why.isEmpty()
            ? meaning
            : meaning + QStringLiteral("<br><span style='color:%1'>%2</span>").arg(toneColor(Tone::Error).name(), why.toHtmlEscaped()));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
}

} // namespace wslab
