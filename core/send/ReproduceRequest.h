#pragma once
// A stored request replayed by hand: as a curl command line and as a Django
// test case (django.test.Client). Values the scrubbing rules or Django masked
// become visible placeholders, so the output never pretends to hold a secret
// and a user sees where to put a real value before running it.
#include "model/Report.h"

#include <QString>

namespace ed {

// Stands where a masked value was: in curl's arguments and in the test.
inline constexpr char kReproducePlaceholder[] = "<scrubbed>";

// `curl -X POST 'https://host/path?q' -H 'User-Agent: ...' -b 'a=b' --data-urlencode 'k=v'`
QString requestAsCurl(const Request &request);

// A Django TestCase whose one test sends the same request through self.client.
QString requestAsDjangoTest(const Request &request);

} // namespace ed
