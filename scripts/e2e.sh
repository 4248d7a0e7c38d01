#!/bin/sh
# `npm run test:e2e`: the functional tests two at a time, then the tests that time the page's
# main thread one at a time with nothing beside them (playwright.config.ts). Both always run;
# the exit status fails if either failed. Extra arguments go to both (a file, -g, --headed).
npx playwright test --project=functional --pass-with-no-tests "$@"
functional=$?
npx playwright test --project=main-thread --pass-with-no-tests "$@"
mainThread=$?
[ "$functional" -eq 0 ] && [ "$mainThread" -eq 0 ]
