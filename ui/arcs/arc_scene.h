#pragma once
// Puts a probe sentence's gold parse and one head's predicted parse together
// into what the arc view draws.
#include "arcs/arc_parse.h"

namespace chrysalis::ui {

struct AttentionResult;
struct ProbeSentence;

/// @param result the worker's reply for this sentence, or nullptr (gold only).
/// @returns the scene; no prediction when the head is out of range or the
///          reply does not fit the sentence.
ArcScene buildArcScene(const ProbeSentence& sentence, const AttentionResult* result, int layer,
                       int head, ArcDirection direction = ArcDirection::DepToHead);

} // namespace chrysalis::ui
