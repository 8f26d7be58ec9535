#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QTimer>

namespace wslab {

class Server;

// The server's connected peers as a table. Server signals only mark it dirty; a timer applies the
// changes a few times a second, so a busy peer does not repaint the table per message.
class PeerTableModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PeerTableModel)
public:
    enum Column { IdColumn, AddressColumn, PathColumn, SubprotocolColumn, ConnectedColumn, InColumn, OutColumn, RttColumn, ColumnCount };

    explicit PeerTableModel(Server *server, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    int peerIdAt(int row) const { return m_ids.value(row, -1); }
    // Applies pending changes now (tests).
    void refresh();

private:
    void markDirty();

    Server *m_server;
    QList<int> m_ids;
    QTimer m_refresh;
};

} // namespace wslab
