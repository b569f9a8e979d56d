#ifndef LSPSIM_CGSL_SHIM_H
#define LSPSIM_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_version.h>

/* Swift 6 rejects GSL's global generator-type variables as shared mutable state;
   these accessors hand them over as plain function results. */
static inline const gsl_rng_type *cgsl_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *cgsl_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_rng_type *cgsl_rng_ranlxd1(void) { return gsl_rng_ranlxd1; }
static inline const gsl_rng_type *cgsl_rng_ranlxd2(void) { return gsl_rng_ranlxd2; }
static inline const gsl_rng_type *cgsl_rng_ranlxs2(void) { return gsl_rng_ranlxs2; }
static inline const gsl_rng_type *cgsl_rng_ranlux389(void) { return gsl_rng_ranlux389; }
static inline const gsl_rng_type *cgsl_rng_gfsr4(void) { return gsl_rng_gfsr4; }
static inline const gsl_rng_type *cgsl_rng_mrg(void) { return gsl_rng_mrg; }
static inline const gsl_rng_type *cgsl_rng_cmrg(void) { return gsl_rng_cmrg; }

static inline const gsl_qrng_type *cgsl_qrng_sobol(void) { return gsl_qrng_sobol; }

static inline const char *cgsl_version(void) { return GSL_VERSION; }

#endif
