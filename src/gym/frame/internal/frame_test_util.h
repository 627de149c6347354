// Test-only helpers shared by the Frame test files.
#ifndef GYM_FRAME_INTERNAL_FRAME_TEST_UTIL_H_
#define GYM_FRAME_INTERNAL_FRAME_TEST_UTIL_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "gym/frame/frame.h"
#include "gym/frame/frame_error.h"

namespace gym::frame_internal {

// Runs `fn`, expecting a FrameError whose message contains `text`.
template <typename Fn>
void ExpectFrameError(Fn fn, const std::string& text) {
  try {
    fn();
    ADD_FAILURE() << "no FrameError, expected one containing: " << text;
  } catch (const FrameError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr(text));
  }
}

// Five sales (id, loja, valor) with a null valor in row 3: the shared fixture of the
// relational-operation tests.
inline Frame Sales() {
  Column valor = Column::Doubles({5.0, 2.5, 5.0, 1.0, 9.0});
  valor.SetNull(3);
  return Frame({"id", "loja", "valor"},
               {Column::Ints({1, 2, 3, 4, 5}), Column::Strings({"b", "a", "b", "c", "a"}),
                std::move(valor)});
}

}  // namespace gym::frame_internal

#endif  // GYM_FRAME_INTERNAL_FRAME_TEST_UTIL_H_
