// inline_call_line: a nested sync def runs on the loop only where its async def calls it
// itself; references handed to threads, callbacks, awaited calls and defs only defined do not.
#include "analyze/nested_calls.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "python/model.hpp"

using namespace asyncsweep;

namespace {

// The line inline_call_line gives the first def named `name` in `text`.
std::uint32_t called_at(const std::string& text, std::string_view name = "helper") {
  python::LineModel model = python::LineModel::build(text);
  for (std::uint32_t i = 0; i < model.scopes().size(); ++i) {
    if (model.scope(i).name == name && model.scope(i).kind == python::ScopeKind::Function)
      return analyze::inline_call_line(model, i);
  }
  FAIL("no def " << name);
  return 0;
}

std::string in_async(const std::string& body) {
  return "async def outer(p):\n"     // 1
         "    def helper(x=1):\n"    // 2
         "        open(p).read()\n"  // 3
         "    " +
         body + "\n";  // 4
}

}  // namespace

TEST_CASE("a direct call in the async body runs the nested def on the loop") {
  CHECK(called_at(in_async("helper()")) == 4);
  CHECK(called_at(in_async("data = helper(p)")) == 4);
  CHECK(called_at(in_async("return helper (p)")) == 4);
  CHECK(called_at(in_async("if p:\n        x = [helper(i) for i in p]")) == 5);
  // An argument is evaluated on the loop before the callee sees it.
  CHECK(called_at(in_async("await asyncio.to_thread(helper())")) == 4);
  // The first call after the def, whatever comes between.
  CHECK(called_at(in_async("x = 1  # helper()\n    s = 'helper()'\n    y = helper()")) == 6);
}

TEST_CASE("references, awaited calls and other scopes' calls are not calls on the loop") {
  CHECK(called_at(in_async("await loop.run_in_executor(None, helper)")) == 0);
  CHECK(called_at(in_async("await asyncio.to_thread(helper, 1)")) == 0);
  CHECK(called_at(in_async("threading.Thread(target=helper).start()")) == 0);
  CHECK(called_at(in_async("fut = executor.submit(helper, p)")) == 0);
  CHECK(called_at(in_async("return helper")) == 0);
  CHECK(called_at(in_async("self.callbacks.append(helper)")) == 0);
  CHECK(called_at(in_async("pass")) == 0);  // only defined
  CHECK(called_at(in_async("await helper()")) == 0);
  CHECK(called_at(in_async("async with helper():\n        pass")) == 0);
  CHECK(called_at(in_async("self.helper()")) == 0);  // another object's method
  CHECK(called_at(in_async("my_helper()")) == 0);    // another name
  CHECK(called_at(in_async("loop.call_soon(lambda: helper())")) == 0);
  CHECK(called_at(in_async("def later():\n        helper()")) == 0);
  CHECK(called_at(in_async("# helper()")) == 0);
  CHECK(called_at(in_async("print('helper()')")) == 0);
}

TEST_CASE("a call before the def is not this def's") {
  CHECK(called_at("async def outer():\n    helper()\n    def helper():\n        pass\n") == 0);
}

TEST_CASE("decorated defs and generators are not inferred") {
  CHECK(called_at(
            "async def outer():\n    @delayed\n    def helper():\n        pass\n    helper()\n") ==
        0);
  CHECK(called_at("async def outer():\n    def helper():\n        yield 1\n    list(helper())\n") ==
        0);
  // A yield in a def nested deeper belongs to that def.
  CHECK(called_at("async def outer():\n    def helper():\n        def g():\n            yield 1\n"
                  "        return g\n    helper()\n") == 6);
}

TEST_CASE("only a def right inside an async def") {
  // The method of a nested class, and a def nested in a sync def, run where their callers run.
  CHECK(called_at("async def outer():\n    class C:\n        def helper(self):\n            pass\n"
                  "    helper()\n") == 0);
  CHECK(called_at("def outer():\n    def helper():\n        pass\n    helper()\n") == 0);
  CHECK(called_at("async def outer():\n    def mid():\n        def helper():\n            pass\n"
                  "        helper()\n    mid()\n") == 0);
}
