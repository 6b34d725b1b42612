# Runs `BINARY --generate KIND` into OUTPUT (and, with GZIP set, a reproducible OUTPUT.gz as
# Debian wants man pages): the man page and completions come from the built program itself.
execute_process(COMMAND ${BINARY} --generate ${KIND} OUTPUT_FILE ${OUTPUT} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${BINARY} --generate ${KIND} failed: ${status}")
endif()
if(GZIP)
  execute_process(COMMAND gzip -9 -n -c ${OUTPUT} OUTPUT_FILE ${OUTPUT}.gz RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "gzip ${OUTPUT} failed: ${status}")
  endif()
endif()
