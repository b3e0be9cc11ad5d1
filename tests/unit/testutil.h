/*
 * tests/unit/testutil.h - helpers shared by the unit tests: temporary folders and shared data.
 */
#ifndef TR_TESTUTIL_H
#define TR_TESTUTIL_H

/* Path of a file under the shared reference data (../shared/data); static buffer. */
const char *tu_shared(const char *rel);

/* A fresh temporary folder (removed by tu_rmtree); static buffer per call site copy it. */
char *tu_tmpdir(void);
void tu_rmtree(const char *dir);

/* Write len bytes to dir/name; returns the malloc'ed path. */
char *tu_write(const char *dir, const char *name, const void *data, unsigned long len);

#endif
