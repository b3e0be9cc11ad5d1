/*
 * oscal/validate_rules.h - the OSCAL checks a JSON schema cannot express (oscal/validate_rules.c):
 * unique ids and uuids, parameter inserts and '#' fragment hrefs that resolve, profile imports
 * that exist. Violations are recorded like schema errors, with a "trustreg:<rule>" location.
 */
#ifndef TR_OSCAL_VALIDATE_RULES_H
#define TR_OSCAL_VALIDATE_RULES_H

#include "oscal/vschema.h"
#include "trustreg/oscal.h"

/*
 * Check the document dom (its root object at node 0) of the given model. base_dir is the folder
 * relative profile imports are resolved against (NULL: relative imports are not checked).
 * Returns TRUSTREG_OK or TRUSTREG_EINTERNAL (out of memory).
 */
int tr_oscal_rules_check(const tr_jdom *dom, trustreg_oscal_model model, const char *base_dir,
                         tr_vs_errors *errs);

#endif
