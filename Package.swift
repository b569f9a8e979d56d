// swift-tools-version:6.0
import PackageDescription

// MARK: - Public API

let package = Package(
    name: "lspsim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lspsim", targets: ["lspsim"]),
        .library(name: "Stochastic", targets: ["Stochastic"]),
        .library(name: "PartnershipModel", targets: ["PartnershipModel"]),
        .library(name: "ScenarioFile", targets: ["ScenarioFile"]),
        .library(name: "RunOutput", targets: ["RunOutput"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    ],
    targets: [
        // MARK: - Implementation

        /// GSL, the GNU Scientific Library, from the system (`libgsl-dev`).
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        /// The only importer of CGSL: generators, samplers, seed derivation, statistics.
        .target(name: "Stochastic", dependencies: ["CGSL"]),
        /// Scenario types, validation rules and the dynamics of SPEC.md. No file IO.
        .target(name: "PartnershipModel", dependencies: ["Stochastic"]),
        /// YAML scenario files: parsing, field paths with line numbers, distributions.
        .target(
            name: "ScenarioFile",
            dependencies: ["PartnershipModel", "Stochastic", "Yams", .product(name: "Crypto", package: "swift-crypto")]
        ),
        /// Sweeps: factor paths, sweep files, designs, the parallel runner of design points, and the
        /// analyses and files of the sweep commands (sensitivity, discovery, Slurm job scripts).
        .target(name: "Experiments", dependencies: ["PartnershipModel", "ScenarioFile", "Stochastic", "Results", "Sensitivity", "Yams"]),
        /// The SQLite results store of sweeps (through GRDB), statistics over it and CSV export.
        .target(
            name: "Results",
            dependencies: [
                "PartnershipModel", "Stochastic",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        /// Global sensitivity analysis (Saltelli/Jansen Sobol indices, Morris elementary effects) and
        /// scenario discovery (PRIM): numerical methods over input and output arrays.
        .target(name: "Sensitivity", dependencies: ["Stochastic"]),
        /// Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC): a generic sampler over
        /// priors and a simulate-and-distance function, with adaptive tolerances and a fitted
        /// multivariate normal perturbation kernel; deterministic whatever the number of threads.
        .target(name: "ABC", dependencies: ["Stochastic"]),
        /// Calibration of a scenario to an area's own data: calibration files, the distance of
        /// simulated to observed trajectories, the SQLite store of generations, posterior summaries
        /// and drawing replications' inputs from a posterior.
        .target(
            name: "Calibration",
            dependencies: [
                "ABC", "Stochastic", "PartnershipModel", "ScenarioFile", "Experiments", "Yams",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        /// Small SVG charting: scales, ticks, paths, axes, legends.
        .target(name: "Charts"),
        /// The self-contained HTML report of a run folder, a sweep store or a calibration folder.
        .target(
            name: "Reports",
            dependencies: ["Charts", "Results", "Experiments", "Sensitivity", "PartnershipModel", "ScenarioFile", "Stochastic", "RunOutput",
                           "Calibration"]
        ),
        /// Running replications and writing `lspsim run`'s files atomically.
        .target(
            name: "RunOutput",
            dependencies: ["PartnershipModel", "ScenarioFile", "Stochastic"]
        ),
        /// `lspsim studio`: a local web page (Hummingbird server) for trying governance options
        /// with paired comparisons. Kept apart so the engine's targets do not wait for Hummingbird.
        .target(
            name: "Studio",
            dependencies: [
                "PartnershipModel", "ScenarioFile", "RunOutput", "Stochastic", "Experiments", "Charts", "Reports", "Yams",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        /// Modelling your own area: the indicator catalogue (each entry with its public source), the
        /// scenario builder behind `lspsim new` (per-head budgets, uncertain partner parameters,
        /// responsiveness calibrated by bisection on real runs) and the 7S self-assessment behind
        /// `lspsim assess` (ratings mapped to governance, overlay scenario, paired runs).
        .target(
            name: "AreaBuilder",
            dependencies: ["PartnershipModel", "ScenarioFile", "RunOutput", "Stochastic", "Yams"]
        ),
        /// The command line: one subcommand per file, no model logic.
        .executableTarget(
            name: "lspsim",
            dependencies: [
                "PartnershipModel", "ScenarioFile", "RunOutput", "Stochastic", "Experiments", "Results",
                "Sensitivity", "Reports", "AreaBuilder", "Calibration", "ABC", "Studio",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests

        .testTarget(name: "StochasticTests", dependencies: ["Stochastic"]),
        .testTarget(
            name: "PartnershipModelTests",
            dependencies: ["PartnershipModel", "ScenarioFile", "RunOutput", "Stochastic"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "ScenarioFileTests",
            dependencies: ["ScenarioFile", "PartnershipModel"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "ExperimentsTests",
            dependencies: ["Experiments", "Results", "ScenarioFile", "PartnershipModel", "RunOutput", "Stochastic", "Yams",
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "CalibrationTests",
            dependencies: ["ABC", "Calibration", "Stochastic", "ScenarioFile", "PartnershipModel", "Experiments"]
        ),
        .testTarget(name: "SensitivityTests", dependencies: ["Sensitivity", "Stochastic"]),
        /// Helpers shared by the test targets (an XML tree for checking SVG and HTML output).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "TestSupport"]),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "Charts", "Results", "Experiments", "RunOutput", "ScenarioFile", "PartnershipModel", "TestSupport",
                           "Calibration", "Stochastic"]
        ),
        .testTarget(name: "AreaBuilderTests", dependencies: ["AreaBuilder", "PartnershipModel", "ScenarioFile"]),
        .testTarget(
            name: "StudioTests",
            dependencies: ["Studio", "ScenarioFile", "PartnershipModel", "RunOutput", "Experiments", "Stochastic"]
        ),
        .testTarget(
            name: "LspsimCLITests",
            dependencies: [
                "lspsim", "RunOutput", "Results", "Reports", "ScenarioFile", "PartnershipModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)
