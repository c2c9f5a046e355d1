# ctest cli.leak_check_batch (sanitizer builds only): densito-cli over a whole batch with
# LeakSanitizer on: the sample experiment with its layout sheets, then the real sample blots.
# Fails when a run does not exit 0 or a sanitizer reports anything; ASAN_OPTIONS and
# LSAN_OPTIONS come from the test's environment.
# Arguments: -DCLI=<densito-cli> -DSOURCE_DIR=<repository> -DOUT_DIR=<scratch folder>
set(experiment ${SOURCE_DIR}/sample_blots/experiment)
set(runs
    "analyze|${experiment}|--out|${OUT_DIR}/experiment|--blots|${experiment}/blots.csv|--samples|${experiment}/samples.csv"
    "analyze|${SOURCE_DIR}/sample_blots/real|--out|${OUT_DIR}/real")
file(REMOVE_RECURSE ${OUT_DIR})
foreach(run IN LISTS runs)
    string(REPLACE "|" " " shown "${run}")
    string(REPLACE "|" ";" arguments "${run}")
    execute_process(COMMAND ${CLI} -q ${arguments}
        RESULT_VARIABLE result OUTPUT_QUIET ERROR_VARIABLE errors)
    if(NOT result EQUAL 0 OR errors MATCHES "Sanitizer")
        message(FATAL_ERROR "densito-cli -q ${shown} exited with ${result}:\n${errors}")
    endif()
    message(STATUS "densito-cli -q ${shown}: no leaks")
endforeach()
file(REMOVE_RECURSE ${OUT_DIR})
