// check = finally-closes (ASW120): does a `finally:` block hold a .close()/.aclose() call in
// code? The line model answers exactly; the text alone answers "no" for most blocks, and then
// a file whose candidates are all such needs no model at all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "python/model.hpp"

namespace asyncsweep::analyze {

// Offset just past the `finally:` block whose line starts at `line_begin`, read from the text
// alone: the following lines up to the first one outside brackets that is neither blank nor a
// comment and is indented no deeper than the `finally`. npos when the text alone cannot tell:
// a quote, a backslash, a CR or a form feed on the way, or more closing brackets than opened.
// For valid Python this is where the model's block ends too.
std::size_t plain_finally_block_end(std::string_view text, std::size_t line_begin);

// True when the text alone shows that the block has no .close( or .aclose( at all.
bool finally_block_without_close(std::string_view text, std::size_t line_begin);

// The model's line of a .close()/.aclose() call in code in the block of the `finally:` on
// `finally_line`, or 0. Never looks past plain_finally_block_end, so that the text-only
// answer and this one agree on any input, valid Python or not.
std::uint32_t finally_close_line(const python::LineModel& model, std::uint32_t finally_line);

}  // namespace asyncsweep::analyze
