#pragma once

#include "core/har/Har.h"

#include <QDialog>

class QComboBox;
class QLineEdit;

namespace wslab {

// Replay to…: which recorded connection (only those that sent messages, each with its count), where
// to, and how fast. What it returns is checked by whoever runs the replay, so a bad URL is reported in
// the replay's own log like any other failure.
class ReplayDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplayDialog)
public:
    // `defaultUrl` is the window's server while it runs; empty: the chosen connection's recorded URL.
    ReplayDialog(const QList<RecordedConnection> &connections, const QString &defaultUrl, QWidget *parent = nullptr);

    // The chosen connection's index in `connections`.
    int connectionIndex() const;
    QString url() const;
    // How many times faster than recorded; 0: no waiting.
    double speed() const;

    // "connection 2 · client 1 · 3 messages": the name a replay is known by and the line it is chosen from.
    static QString connectionName(int index);
    static QString connectionLine(const RecordedConnection &connection, int index);

private:
    QComboBox *m_connection;
    QLineEdit *m_url;
    QComboBox *m_speed;
};

} // namespace wslab
