// Field-by-field comparison of two line models, for the differential tests of the fast builder
// against the reference one (tests, fuzzer, bench). Only the public view is compared, which is
// everything a caller can observe: lines, spans, scopes, decorators, inventory, BOM.
#pragma once

#include <string>

#include "python/model.hpp"

namespace asyncsweep::python {

// "" when the models are identical, else a short description of the first difference.
std::string first_difference(const LineModel& a, const LineModel& b);

}  // namespace asyncsweep::python
