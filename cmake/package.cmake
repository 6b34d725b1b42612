# CPack's DEB generator over the install rules (cmake/install.cmake): scripts/package runs it
# on the profile-guided build. Runtime Depends come from the binary's shared libraries
# (dpkg-shlibdeps), the version from project().
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME asyncsweep)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "asyncsweep maintainers <maintainers@users.noreply.b-seed-f5065e9d.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "sweep Python trees for asyncio antipatterns, ranked for review")
# The summary is the Description's first line, this the extended text below it.
set(CPACK_PACKAGE_DESCRIPTION
    "asyncsweep finds blocking calls inside async functions, deprecated event loop
calls, nested asyncio.run(), pipes without O_NONBLOCK and cleanup that a
context manager should own, in whole Python trees at ripgrep's speed. Each
candidate gets a score from 0 to 100 with the reasons for it.")
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)  # the Debian revision: packaging/changelog's top entry
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# git: the walk reads git's global excludes the way git does; suggested, not needed.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "git")
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
