// A blocking call in a sync `def` nested in an `async def` runs wherever the def is called: in
// a thread when the def is handed to run_in_executor/to_thread/submit, later when it is a
// callback, never when it is only defined. When the async body itself calls it (`helper()`,
// `x = helper(a)`), the call runs on the loop and is as real as one written there.
#pragma once

#include <cstdint>

#include "python/model.hpp"

namespace asyncsweep::analyze {

// The model's line of the first direct call of the nested def `nested` (a scope index) in the
// own body of its parent `async def`, after the def, or 0 when there is none. A direct call is
// `name(` in code, not an attribute (`self.name(`), not awaited (`await name()`, `async with
// name()`), and not inside another nested def, lambda or class. A reference (`to_thread(name)`,
// `Thread(target=name)`, `return name`) is no call. Answers 0 for what a call does not run
// right away or where the name may not be the def: a decorated def (a decorator may ship the
// body elsewhere: `@delayed`, `@run_in_thread`) and a generator (its body runs where it is
// iterated, maybe in a thread pool).
std::uint32_t inline_call_line(const python::LineModel& model, std::uint32_t nested);

}  // namespace asyncsweep::analyze
