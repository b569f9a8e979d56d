import ArgumentParser
import Dispatch
import Foundation
import Studio

extension LSPSim {
    struct Studio: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Try governance options in a browser page: a local web server with paired comparisons.",
            discussion: """
                Serves a page on http://127.0.0.1:PORT/ listing the shipped scenarios (scenarios/*.yaml \
                under the current folder that are scenario files) and any named here. Pick one, change its \
                governance, press Compare: both set-ups run in paired replications (same seed, common random \
                numbers) and the page shows the differences with 95% intervals. Stop it with Ctrl-C.

                Example:
                  lspsim studio --port 0 --open
                """
        )

        @Argument(help: "Scenario files to list besides the shipped ones.")
        var scenarios: [String] = []

        @Option(help: "Port to listen on (0: any free port, printed).")
        var port: Int = 8080

        @Option(help: "Address to listen on; anything but loopback exposes the studio to the network.")
        var host: String = "127.0.0.1"

        @Option(help: "Replications of a Compare.")
        var replications: Int = 1000

        @Option(help: "Run seed of the comparisons (the page can change it).")
        var seed: UInt64 = 1

        @Flag(help: "Open the page in a browser (xdg-open or open).")
        var open = false

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
            guard (2...StudioServer.maxReplications).contains(replications) else {
                throw ValidationError("--replications must be between 2 and \(StudioServer.maxReplications)")
            }
        }

        func run() throws {
            var catalog = Catalog()
            catalog.addShipped(directory: "scenarios")
            for path in scenarios { catalog.add(path: path) }
            for (file, reason) in catalog.skipped {
                FileHandle.standardError.write(Data("warning: \(file) is not listed: \(reason)\n".utf8))
            }
            if catalog.entries.isEmpty {
                FileHandle.standardError.write(Data("warning: no scenarios to list; run in the project folder (scenarios/) or name scenario files\n".utf8))
            }
            if !["127.0.0.1", "::1", "localhost"].contains(host) {
                FileHandle.standardError.write(Data("warning: listening on \(host), not loopback: anyone who can reach this address can use the studio\n".utf8))
            }
            var options = StudioServer.Options()
            options.host = host
            options.port = port
            options.replications = replications
            options.seed = seed
            let server = StudioServer(catalog: catalog, options: options)
            let open = self.open, listed = catalog.entries.count
            // The studio writes no files, so SIGTERM and SIGINT end it at once, with status 0.
            var stops: [any DispatchSourceSignal] = []
            for number in [SIGTERM, SIGINT] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { Foundation.exit(0) }
                source.resume()
                stops.append(source)
            }
            defer { stops.forEach { $0.cancel() } }
            let failure = FailureBox()
            let finished = DispatchSemaphore(value: 0)
            Task.detached {
                do {
                    try await server.run { host, port in
                        let shown = host.contains(":") ? "[\(host)]" : host
                        let url = "http://\(shown):\(port)/"
                        // Written unbuffered: a script reading the address must see it at once.
                        FileHandle.standardOutput.write(Data("lspsim studio listening on \(url) (\(listed) scenarios; Ctrl-C to stop)\n".utf8))
                        if open { openBrowser(url) }
                    }
                } catch {
                    failure.set(error)
                }
                finished.signal()
            }
            finished.wait()
            if let error = failure.get() {
                FileHandle.standardError.write(Data("error: the studio stopped: \(error)\n".utf8))
                throw ExitCode(ExitStatus.software)
            }
        }
    }
}

/// The error of the server task, handed to the waiting main thread.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?
    func set(_ error: any Error) { lock.lock(); self.error = error; lock.unlock() }
    func get() -> (any Error)? { lock.lock(); defer { lock.unlock() }; return error }
}

private func openBrowser(_ url: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    #if os(macOS)
    process.arguments = ["open", url]
    #else
    process.arguments = ["xdg-open", url]
    #endif
    do { try process.run() } catch {
        FileHandle.standardError.write(Data("warning: could not open a browser (\(error)); open \(url) yourself\n".utf8))
    }
}
