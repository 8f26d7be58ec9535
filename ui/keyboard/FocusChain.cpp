#include "ui/keyboard/FocusChain.h"

#include <QWidget>

namespace wslab {

QList<QWidget *> tabStopsIn(const QWidget *root)
{
    QList<QWidget *> stops;
    const auto children = root->findChildren<QWidget *>();
    for (QWidget *w : children) {
        if (w->focusPolicy() & Qt::TabFocus)
            stops << w;
    }
    return stops;
}

void chainFocus(const QList<QWidget *> &order)
{
    // A compound widget (a combo, a spin box, a tab widget) moves with its inner widgets; listing
    // an inner one as well would cut the chain into a loop of its own, so only the outer one counts.
    auto hasListedAncestor = [&order](const QWidget *w) {
        for (const QWidget *other : order) {
            if (other && other != w && other->isAncestorOf(w))
                return true;
        }
        return false;
    };
    QWidget *previous = nullptr;
    for (QWidget *w : order) {
        if (!w || hasListedAncestor(w))
            continue;
        if (previous)
            QWidget::setTabOrder(previous, w);
        previous = w;
    }
}

} // namespace wslab
