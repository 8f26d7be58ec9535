#pragma once

#include "core/match/Matcher.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <chrono>
#include <optional>
#include <vector>

namespace wslab {

// A reply written with placeholders, filled from the message that matched: ${0} the regex's whole
// match, ${1}… its groups, ${/pointer} a field of the message as JSON (a string as it is, anything else
// as compact JSON), $$ a literal $. Checked when loaded, so a rule never fails while serving.
//
// A template that is JSON once its placeholders are set aside (an object or array, like
// {"id":${/id},"name":"${1}"}) is a JSON template, and its replies stay valid JSON whatever the message
// holds: a value inside a JSON string is escaped as string content (a quote becomes \"); a value outside
// one is JSON itself: a field as JSON (a string quoted, a missing field null), a group as it is when it is
// one JSON value (42, true) and as a quoted string otherwise. Any other template is filled as it is.
class ReplyTemplate
{
public:
    // nullopt with *error ("PATH: …") for a placeholder that can never be filled: a group the rule's
    // regex does not have (`groups`, -1 without a regex), a bad JSON pointer, an unclosed "${".
    static std::optional<ReplyTemplate> fromString(const QString &text, int groups, const QString &path, QString *error);

    // The text with every placeholder filled; a JSON field the message lacks (or a message that is not
    // JSON) gives the empty string (null outside a string in a JSON template).
    QString fill(const InboundMessage &message, const Matcher::Outcome &outcome) const;
    QString text() const { return m_text; }
    // Whether it is a JSON template, whose filled values are escaped as above.
    bool isJson() const { return m_json; }

private:
    struct Part
    {
        enum class Kind { Literal, Group, Pointer } kind = Kind::Literal;
        QString text; // Literal: the text; Pointer: the pointer
        int group = 0;
        bool inJsonString = false; // a placeholder between the quotes of a JSON string
    };
    // Marks each placeholder inside or outside a JSON string and decides whether the template is JSON.
    void classifyJson();

    QString m_text;
    std::vector<Part> m_parts;
    bool m_json = false;
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
    // The rule as the file writes it (without its path): what MockRules::fromJson reads back the same.
    QJsonObject toJson() const;
};

// What the first matching rule does to one message, its templates filled: what MockResponder sends,
// and what the rules editor's "Try it" shows without a network.
struct MockAnswer
{
    const MockRule *rule = nullptr; // only until the rules change: a delayed action must not read it
    std::optional<QString> reply;
    std::optional<QString> broadcast;
    std::optional<int> closeCode;
    QString closeReason;
};

// The ordered rule list of `serve --rules FILE.json`: the first rule that matches a message acts.
struct MockRules
{
    static constexpr int kVersion = 1;

    QString description; // free text, kept so a file saved again keeps it
    std::vector<MockRule> rules;

    // nullopt with *error, one line starting with the JSON path of the fault ("/rules/1/reply: …").
    static std::optional<MockRules> fromJson(const QByteArray &json, QString *error);
    // The file `serve --rules` reads, indented: fromJson gives back the same rules.
    QByteArray toJson() const;
    // The first rule that matches, with what the match found; nullptr when none does.
    const MockRule *firstMatch(const InboundMessage &message, Matcher::Outcome *outcome) const;
    // The first matching rule's answer to `message`; nullopt when no rule matches.
    std::optional<MockAnswer> answer(const InboundMessage &message) const;
};

} // namespace wslab
