#include "ui/server/PeerTableModel.h"

#include "core/server/Peer.h"
#include "core/server/Server.h"

#include <QDateTime>

namespace wslab {

PeerTableModel::PeerTableModel(Server *server, QObject *parent)
    : QAbstractTableModel(parent)
    , m_server(server)
{
    m_refresh.setSingleShot(true);
    m_refresh.setInterval(250);
    connect(&m_refresh, &QTimer::timeout, this, &PeerTableModel::refresh);
    connect(server, &Server::peerConnected, this, &PeerTableModel::markDirty);
    connect(server, &Server::peerDisconnected, this, &PeerTableModel::markDirty);
    connect(server, &Server::peerCountersChanged, this, &PeerTableModel::markDirty);
    // "Connected for" moves on by itself.
    auto *clock = new QTimer(this);
    connect(clock, &QTimer::timeout, this, &PeerTableModel::markDirty);
    clock->start(1000);
}

int PeerTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

int PeerTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void PeerTableModel::markDirty()
{
    if (!m_refresh.isActive())
        m_refresh.start();
}

void PeerTableModel::refresh()
{
    QList<int> current;
    for (const Peer *p : m_server->peers())
        current << p->id();
    // Rows of peers that left go one by one, so the selection of the others survives.
    for (int row = int(m_ids.size()) - 1; row >= 0; --row) {
        if (!current.contains(m_ids.at(row))) {
            beginRemoveRows({}, row, row);
            m_ids.removeAt(row);
            endRemoveRows();
        }
    }
    QList<int> added;
    for (int id : current) {
        if (!m_ids.contains(id))
            added << id;
    }
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_ids.size()), int(m_ids.size() + added.size()) - 1);
        m_ids += added;
        endInsertRows();
    }
    if (!m_ids.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_ids.size()) - 1, ColumnCount - 1));
}

QVariant PeerTableModel::data(const QModelIndex &index, int role) const
{
    if (role != Qt::DisplayRole && role != Qt::TextAlignmentRole)
        return {};
    const Peer *p = m_server->peer(m_ids.value(index.row(), -1));
    if (!p)
        return {};
    if (role == Qt::TextAlignmentRole)
        return index.column() >= ConnectedColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    switch (index.column()) {
    case IdColumn:
        return p->id();
    case AddressColumn:
        return QStringLiteral("%1:%2").arg(p->address().toString()).arg(p->port());
    case PathColumn:
        return p->path().isEmpty() ? QStringLiteral("/") : p->path();
    case SubprotocolColumn:
        return p->subprotocol();
    case ConnectedColumn: {
        const qint64 s = p->connectedAt().secsTo(QDateTime::currentDateTime());
        return s < 60     ? tr("%1 s").arg(s)
               : s < 3600 ? tr("%1 min %2 s").arg(s / 60).arg(s % 60)
                          : tr("%1 h %2 min").arg(s / 3600).arg(s / 60 % 60);
    }
    case InColumn:
        return qulonglong(p->counters().messagesIn);
    case OutColumn:
        return qulonglong(p->counters().messagesOut);
    case RttColumn:
        return p->counters().rtt.samples ? tr("%1 ms").arg(double(p->counters().rtt.last.count()) / 1000.0, 0, 'f', 2) : QString();
    }
    return {};
}

QVariant PeerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == SubprotocolColumn)
        return tr("The application protocol both sides agreed on in the handshake (Sec-WebSocket-Protocol)");
    if (role == Qt::ToolTipRole && section == RttColumn)
        return tr("Round-trip time of the last ping this server sent to the peer");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("Id");
    case AddressColumn:
        return tr("Address");
    case PathColumn:
        return tr("Path");
    case SubprotocolColumn:
        return tr("Subprotocol");
    case ConnectedColumn:
        return tr("Connected");
    case InColumn:
        return tr("In");
    case OutColumn:
        return tr("Out");
    case RttColumn:
        return tr("RTT");
    }
    return {};
}

} // namespace wslab
