#pragma once

#include "core/match/Matcher.h"

#include <QByteArray>
#include <QString>

#include <chrono>
#include <optional>
#include <vector>

namespace wslab {

// A reply written with placeholders, filled from the message that matched: ${0} the regex's whole
// match, ${1}… its groups, ${/pointer} a field of the message as JSON (a string as it is, anything else
// as compact JSON), $$ a literal $. Checked when loaded, so a rule never fails while serving.
class ReplyTemplate
{
public:
    // nullopt with *error ("PATH: …") for a placeholder that can never be filled: a group the rule's
    // regex does not have (`groups`, -1 without a regex), a bad JSON pointer, an unclosed "${".
    static std::optional<ReplyTemplate> fromString(const QString &text, int groups, const QString &path, QString *error);

    // The text with every placeholder filled; a JSON field the message lacks (or a message that is not
    // JSON) gives the empty string.
    QString fill(const InboundMessage &message, const Matcher::Outcome &outcome) const;
    QString text() const { return m_text; }

private:
    struct Part
    {
        enum class Kind { Literal, Group, Pointer } kind = Kind::Literal;
        QString text; // Literal: the text; Pointer: the pointer
        int group = 0;
    };
    QString m_text;
    std::vector<Part> m_parts;
};

// One mock rule: a match and what the server does when a message meets it (docs/mock-rules.md).
struct MockRule
{
    QString name;
    QString path; // "/rules/2", for the log line of each hit
    Matcher match;
    std::optional<ReplyTemplate> reply; // to the sender
    std::optional<ReplyTemplate> broadcast; // to every other peer
    std::optional<int> closeCode; // then close the sender with this code
    QString closeReason;
    std::chrono::milliseconds delay{0}; // before acting
    bool ignore = false; // do nothing; stops looking further down the list

    // "reply, close 4000" or "ignore": what the log says it did.
    QString actionSummary() const;
};

// The ordered rule list of `serve --rules FILE.json`: the first rule that matches a message acts.
struct MockRules
{
    static constexpr int kVersion = 1;

    std::vector<MockRule> rules;

    // nullopt with *error, one line starting with the JSON path of the fault ("/rules/1/reply: …").
    static std::optional<MockRules> fromJson(const QByteArray &json, QString *error);
    // The first rule that matches, with what the match found; nullptr when none does.
    const MockRule *firstMatch(const InboundMessage &message, Matcher::Outcome *outcome) const;
};

} // namespace wslab
