# What `cmake --install` puts under the prefix (GNUInstallDirs: CMAKE_INSTALL_PREFIX and DESTDIR
# apply): the binary, its man page and the bash, zsh and fish completions, the last three made
# at build time by the built binary (`asyncsweep --generate KIND`), and the package's copyright
# and changelog. cmake/package.cmake turns the same rules into a .deb.
include(GNUInstallDirs)

set(ASYNCSWEEP_GENERATED ${CMAKE_CURRENT_BINARY_DIR}/generated/share)
set(generated_files)
foreach(pair "man:asyncsweep.1" "complete-bash:asyncsweep.bash" "complete-zsh:_asyncsweep"
        "complete-fish:asyncsweep.fish" )
  string(REPLACE ":" ";" pair "${pair}")
  list(GET pair 0 kind)
  list(GET pair 1 file)
  set(output ${ASYNCSWEEP_GENERATED}/${file})
  set(gzip OFF)
  set(outputs ${output})
  if(kind STREQUAL "man")
    set(gzip ON)
    list(APPEND outputs ${output}.gz)
  endif()
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${ASYNCSWEEP_GENERATED}
    COMMAND ${CMAKE_COMMAND} -DBINARY=$<TARGET_FILE:asyncsweep> -DKIND=${kind} -DOUTPUT=${output}
            -DGZIP=${gzip} -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/generate.cmake
    DEPENDS asyncsweep ${CMAKE_CURRENT_SOURCE_DIR}/cmake/generate.cmake
    COMMENT "asyncsweep --generate ${kind}")
  list(APPEND generated_files ${outputs})
endforeach()
set(changelog ${CMAKE_CURRENT_SOURCE_DIR}/packaging/changelog)
add_custom_command(
  OUTPUT ${ASYNCSWEEP_GENERATED}/changelog.Debian.gz
  COMMAND gzip -9 -n -c ${changelog} > ${ASYNCSWEEP_GENERATED}/changelog.Debian.gz
  DEPENDS ${changelog}
  COMMENT "Compressing the package changelog")
list(APPEND generated_files ${ASYNCSWEEP_GENERATED}/changelog.Debian.gz)
add_custom_target(asyncsweep_generated ALL DEPENDS ${generated_files})

install(TARGETS asyncsweep RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${ASYNCSWEEP_GENERATED}/asyncsweep.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${ASYNCSWEEP_GENERATED}/asyncsweep.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME asyncsweep)
install(FILES ${ASYNCSWEEP_GENERATED}/_asyncsweep
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${ASYNCSWEEP_GENERATED}/asyncsweep.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/packaging/copyright
              ${ASYNCSWEEP_GENERATED}/changelog.Debian.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
