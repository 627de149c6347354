# Installs libgym (every gym_* library, the generated proto code and the headers) with a CMake
# package config, so another project can `find_package(gym)` and link `gym::gym`.
include(CMakePackageConfigHelpers)

get_property(gym_libraries GLOBAL PROPERTY GYM_LIBRARIES)
add_library(gym_all INTERFACE)
target_link_libraries(gym_all INTERFACE ${gym_libraries})
set_target_properties(gym_all PROPERTIES EXPORT_NAME gym)

install(TARGETS ${gym_libraries} gym_all gym_warnings EXPORT gymTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# The public headers (gym/gym.h includes them all). Left out: tests and their helpers,
# internal/ folders, the applications on top of the API (server, load test, command line),
# and the database-level storage headers, which include sqlite3.h or libpqxx.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/src/gym DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h"
  PATTERN "*_test*" EXCLUDE PATTERN "testing" EXCLUDE PATTERN "internal" EXCLUDE
  PATTERN "server" EXCLUDE PATTERN "loadtest" EXCLUDE PATTERN "cli" EXCLUDE
  PATTERN "sqlite_connection.h" EXCLUDE PATTERN "sqlite_table_writer.h" EXCLUDE
  PATTERN "key_exclusion.h" EXCLUDE PATTERN "unique_keys.h" EXCLUDE
  PATTERN "wal_checkpointer.h" EXCLUDE PATTERN "pg_group_write.h" EXCLUDE)
install(DIRECTORY ${PROJECT_BINARY_DIR}/proto/gym DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(EXPORT gymTargets NAMESPACE gym:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gym)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/gymConfig.cmake.in
  ${PROJECT_BINARY_DIR}/gymConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gym)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/gymConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/gymConfig.cmake ${PROJECT_BINARY_DIR}/gymConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gym)
