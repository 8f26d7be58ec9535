#pragma once

#include "core/settings/Setting.h"

#include <QCheckBox>
#include <QList>
#include <QSettings>
#include <QSpinBox>

#include <limits>

namespace wslab {

// A spin box made from one settings-table entry: its range (in the form's unit, KiB where the entry
// says so), suffix, the words for 0, tooltip (help, default and the wslab-cli flag) and default.
QSpinBox *makeSettingSpinBox(SettingUnit unit, qint64 min, qint64 max, qint64 formScale, const QString &zeroMeans, const QString &toolTip,
                             qint64 defaultValue, const QString &objectName, QWidget *parent);
QString settingToolTip(const QString &help, const QString &flag, const QString &defaultText);

// The fields a settings form made from a table, and the loops over them that every form shares:
// config <-> fields, a value judged by the table's rule, QSettings save and restore under the table's keys.
template <class Config> class SettingFields
{
public:
    explicit SettingFields(const QList<Setting<Config>> &table)
        : m_table(table)
    {
    }

    QSpinBox *spinBox(const QString &key, const QString &objectName, QWidget *parent)
    {
        const Setting<Config> &s = entry(key);
        auto *box = makeSettingSpinBox(s.unit, s.min, s.max, s.formScale, s.zeroMeans, settingToolTip(s.help, s.flag, defaultText(s)),
                                       s.defaultValue(), objectName, parent);
        m_fields.append({&s, box, nullptr});
        return box;
    }

    QCheckBox *checkBox(const QString &key, const QString &text, const QString &objectName, QWidget *parent)
    {
        const Setting<Config> &s = entry(key);
        auto *box = new QCheckBox(text, parent);
        box->setObjectName(objectName);
        box->setChecked(s.defaultValue() != 0);
        m_fields.append({&s, nullptr, box});
        return box;
    }

    // Every field's value, in the table's unit, written into `config`.
    void writeInto(Config *config) const
    {
        for (const Field &f : m_fields)
            f.setting->write(*config, valueOf(f));
    }

    // Shows `value` (in the table's unit) in the field of `key`, or refuses it with the table's words.
    bool setValue(const QString &key, qint64 value, QString *error)
    {
        for (const Field &f : m_fields) {
            if (f.setting->key != key)
                continue;
            const QString problem = judgeSetting(*f.setting, value);
            if (!problem.isEmpty()) {
                if (error)
                    *error = problem;
                return false;
            }
            show(f, value);
            return true;
        }
        if (error)
            *error = QStringLiteral("no setting \"%1\" in this form").arg(key);
        return false;
    }

    // The fields of `keys` from `config`, each judged as setValue does; the first refusal, if any.
    QString showValues(const Config &config, const QStringList &keys)
    {
        QString firstProblem;
        for (const QString &key : keys) {
            QString problem;
            if (!setValue(key, entry(key).read(config), &problem) && firstProblem.isEmpty())
                firstProblem = problem;
        }
        return firstProblem;
    }

    // Saved in the form's unit (KiB where the table says so), as the window always has.
    void save(QSettings &settings) const
    {
        for (const Field &f : m_fields) {
            if (f.check)
                settings.setValue(f.setting->key, f.check->isChecked());
            else
                settings.setValue(f.setting->key, f.spin->value());
        }
    }

    // A missing key keeps the field as it is; a saved value the table refuses (an edited file, an older
    // range) is skipped rather than clamped into something else.
    void restore(const QSettings &settings)
    {
        for (const Field &f : m_fields) {
            if (!settings.contains(f.setting->key))
                continue;
            const QVariant saved = settings.value(f.setting->key);
            if (f.check) {
                f.check->setChecked(saved.toBool());
                continue;
            }
            bool ok = false;
            const qint64 formValue = saved.toLongLong(&ok);
            const qint64 value = formValue * f.setting->formScale;
            if (ok && judgeSetting(*f.setting, value).isEmpty())
                show(f, value);
        }
    }

private:
    struct Field
    {
        const Setting<Config> *setting;
        QSpinBox *spin;
        QCheckBox *check;
    };

    const Setting<Config> &entry(const QString &key) const
    {
        const Setting<Config> *s = findSetting(m_table, key);
        if (!s)
            qFatal("settings table has no key %s", qPrintable(key));
        return *s;
    }

    static QString defaultText(const Setting<Config> &s) { return describeSettingValue(s.unit, s.defaultValue(), s.zeroMeans); }

    static qint64 valueOf(const Field &f)
    {
        return f.check ? qint64(f.check->isChecked()) : qint64(f.spin->value()) * f.setting->formScale;
    }

    static void show(const Field &f, qint64 value)
    {
        if (f.check) {
            f.check->setChecked(value != 0);
            return;
        }
        // Rounded up, so a 64-byte limit shows as 1 KiB rather than as nothing at all.
        const qint64 scale = f.setting->formScale;
        f.spin->setValue(int((value + scale - 1) / scale));
    }

    const QList<Setting<Config>> &m_table;
    QList<Field> m_fields;
};

} // namespace wslab
