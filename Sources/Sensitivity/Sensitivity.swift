/// Global sensitivity analysis and scenario discovery over sampled inputs and outputs.
///
/// Sobol indices (first order by Saltelli et al. 2010, total order by Jansen 1999) on Saltelli's
/// sampling scheme, Morris elementary effects on trajectory designs, and PRIM (Friedman and
/// Fisher 1999). Pure numerics: the simulations themselves run through sweeps.
public enum Sensitivity {}
