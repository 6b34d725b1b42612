// LineModel::build and build_reference: the two instantiations of the builder (builder.hpp).
#include "python/builder.hpp"

namespace asyncsweep::python {

LineModel LineModel::build(std::string_view source) {
  LineModel m;
  detail::ModelBuilder<true>(m, source).run();
  return m;
}

LineModel LineModel::build_reference(std::string_view source) {
  LineModel m;
  detail::ModelBuilder<false>(m, source).run();
  return m;
}

}  // namespace asyncsweep::python
