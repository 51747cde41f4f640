#pragma once
// Scrubbing what the send log holds: the logged texts and the message, which
// is decoded through GMime first (a value hides in quoted-printable as
// key=3Dvalue). Used when an attempt is logged (send/SendLog) and when rules
// apply re-scrubs the log (RuleApplier).
#include "store/SendLogStore.h"

namespace ed {

class Scrubber;

// Scrubs in place; true when anything changed. A message that cannot be read
// as MIME is scrubbed as plain text, never left as it was.
bool scrubSendLogTexts(const Scrubber &scrubber, SendLogTexts &texts);

} // namespace ed
