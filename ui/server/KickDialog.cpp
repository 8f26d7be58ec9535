#include "KickDialog.h"

#include "style/LabColors.h"

#include "protocol/CloseCode.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace wslab {

KickDialog::KickDialog(const QString &title, QWidget *parent)
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
    m_code->setToolTip(tr("The 2-byte status code of the close frame: 1000-1014 are defined by RFC 6455, 3000-3999 registered, 4000-4999 private"));
    m_reason->setObjectName(QStringLiteral("kickReason"));
    m_reason->setMaxLength(123);
    m_reason->setPlaceholderText(tr("optional, at most 123 bytes of UTF-8"));
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
    connect(m_code, &QSpinBox::valueChanged, this, &KickDialog::validate);
    connect(m_reason, &QLineEdit::textChanged, this, &KickDialog::validate);
    validate();
}

int KickDialog::code() const
{
    return m_code->value();
}

void KickDialog::setCode(int code)
{
    m_code->setValue(code);
}

QString KickDialog::reason() const
{
    return m_reason->text();
}

void KickDialog::setReason(const QString &reason)
{
    m_reason->setText(reason);
}

QString KickDialog::problem() const
{
    QString why;
    if (!CloseCode::isSendable(code(), &why))
        return why;
    if (reason().toUtf8().size() > 123)
        return tr("the reason is %1 bytes; at most 123 fit in a close frame").arg(reason().toUtf8().size());
    return {};
}

bool KickDialog::isAcceptable() const
{
    return problem().isEmpty();
}

void KickDialog::validate()
{
    const QString why = problem();
    const QString meaning = QStringLiteral("<b>%1</b>: %2").arg(CloseCode::name(code()).toHtmlEscaped(), CloseCode::meaning(code()).toHtmlEscaped());
    m_meaning->setText(why.isEmpty() ? meaning : meaning + QStringLiteral("<br><span style='color:%1'>%2</span>").arg(toneColor(Tone::Error).name(), why.toHtmlEscaped()));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
}

} // namespace wslab
