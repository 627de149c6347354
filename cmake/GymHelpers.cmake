# Small helpers so each area's CMakeLists.txt stays a few lines long.

# gym_library(NAME SOURCES a.cc b.cc DEPS x y)
# Declares a static library gym_<NAME> whose headers are included as "gym/<area>/x.h".
function(gym_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(gym_${name} STATIC ${ARG_SOURCES})
  target_include_directories(gym_${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_link_libraries(gym_${name} PUBLIC ${ARG_DEPS} PRIVATE gym_warnings)
  set_property(GLOBAL APPEND PROPERTY GYM_LIBRARIES gym_${name})
endfunction()

# gym_test(NAME SOURCES x_test.cc DEPS gym_x [LABELS unit|e2e|slow])
# A GoogleTest binary; each TEST becomes its own ctest entry carrying the labels. GYM_BINARY
# is a plain path (a generator expression there would make every test depend on the binary).
function(gym_test name)
  if(NOT GYM_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main gym_warnings)
  # The source tree (pipelines/, testdata/) as a compile-time path: ctest's ENVIRONMENT
  # property here takes one variable only (a second one, after a ';', was silently dropped).
  target_compile_definitions(${name} PRIVATE GYM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  gtest_discover_tests(${name}
    PROPERTIES LABELS "${ARG_LABELS}"
               ENVIRONMENT "GYM_BINARY=${PROJECT_BINARY_DIR}/src/gym/cli/gym"
    DISCOVERY_TIMEOUT 60)
endfunction()

# gym_bench(NAME SOURCES x_bench.cc DEPS gym_x)
function(gym_bench name)
  if(NOT GYM_BUILD_BENCH)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark gym_warnings)
  set_property(GLOBAL APPEND PROPERTY GYM_BENCHMARKS ${name})
endfunction()
