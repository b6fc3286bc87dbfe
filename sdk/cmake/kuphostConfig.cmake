# find_package(kuphost) for third-party plugin builds: provides kuphost::sdk
# and kuphost_add_plugin().
get_filename_component(_kuphost_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(NOT TARGET kuphost::sdk)
  add_library(kuphost::sdk INTERFACE IMPORTED)
  set_target_properties(kuphost::sdk PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${_kuphost_prefix}/include")
endif()
include("${CMAKE_CURRENT_LIST_DIR}/KuphostPlugin.cmake")
unset(_kuphost_prefix)
