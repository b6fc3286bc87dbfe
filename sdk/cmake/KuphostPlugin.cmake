# kuphost_add_plugin(<target> SOURCES <src>... [LINK <lib>...] [OUTPUT_DIRECTORY <dir>])
#
# Builds a kuphost phase plugin as a loadable module the way the ABI expects:
# hidden visibility, a version script that exports only kuphost_plugin_v1,
# and -Wl,--no-undefined so that a missing symbol fails the build rather than
# the dlopen on an operator's node. The file is named <target>.so.
#
# Needs the target kuphost::sdk (from this tree, or find_package(kuphost)).
set(KUPHOST_PLUGIN_VERSION_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/kuphost_plugin.map"
    CACHE INTERNAL "")
option(KUPHOST_PLUGIN_NO_UNDEFINED
       "Link plugins with -Wl,--no-undefined (sanitizer builds turn it off: the runtime lives in the host)" ON)

function(kuphost_add_plugin target)
  cmake_parse_arguments(KP "" "OUTPUT_DIRECTORY" "SOURCES;LINK" ${ARGN})
  add_library(${target} MODULE ${KP_SOURCES})
  target_link_libraries(${target} PRIVATE kuphost::sdk ${KP_LINK})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS "${KUPHOST_PLUGIN_VERSION_SCRIPT}")
  if(KP_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${KP_OUTPUT_DIRECTORY}")
  endif()
  target_link_options(${target} PRIVATE "-Wl,--version-script=${KUPHOST_PLUGIN_VERSION_SCRIPT}")
  if(KUPHOST_PLUGIN_NO_UNDEFINED)
    target_link_options(${target} PRIVATE "-Wl,--no-undefined")
  endif()
endfunction()
