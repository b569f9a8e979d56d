import Dispatch
import Foundation
import Hummingbird
import PartnershipModel
import ScenarioFile

/// `lspsim studio`'s web server: the page, its assets and a small JSON API over the catalogue.
///
/// Safe by default: it binds to 127.0.0.1, answers only its own routes, reaches scenarios only by
/// catalogue id (no request text is ever used as a path), caps request bodies at `maxBody`
/// bytes (413 beyond), validates every input with the scenario loader, and sends a strict
/// Content-Security-Policy with every response.
public struct StudioServer: Sendable {
    public struct Options: Sendable {
        public var host = "127.0.0.1"
        public var port = 8080
        /// Replications of a Compare; of the long comparison.
        public var replications = 1000
        public var longReplications = 10_000
        public var seed: UInt64 = 1
        public var jobs = ProcessInfo.processInfo.activeProcessorCount
        public init() {}
    }

    /// The most a request body may hold.
    public static let maxBody = 64 * 1024
    /// The most replications a request may ask for.
    public static let maxReplications = 100_000
    static let securityPolicy = "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    public let catalog: Catalog
    public let options: Options
    let session = Session()

    public init(catalog: Catalog, options: Options) {
        self.catalog = catalog
        self.options = options
    }

    /// Runs until the process is stopped; `onListening` gets the bound address (`host:port`).
    public func run(onListening: @escaping @Sendable (String, Int) -> Void) async throws {
        let host = options.host
        let app = Application(
            router: router(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: options.port), serverName: nil),
            onServerRunning: { channel in onListening(host, channel.localAddress?.port ?? 0) })
        try await app.runService()
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        let loopback = ["127.0.0.1", "::1", "localhost"].contains(options.host)
        router.add(middleware: SecurityMiddleware(allowedHosts: loopback ? ["127.0.0.1", "localhost", "[::1]"] : nil))
        router.get("/") { _, _ in Self.asset(Assets.indexHTML, type: "text/html; charset=utf-8") }
        router.get("/app.js") { _, _ in Self.asset(Assets.appJS, type: "text/javascript; charset=utf-8") }
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
        router.get("/app.css") { _, _ in Self.asset(Assets.appCSS, type: "text/css; charset=utf-8") }
        router.get("/api/scenarios") { _, _ in
            try Self.json(catalog.entries.map {
                ["id": $0.id, "name": $0.template.scenario.name, "file": ($0.file as NSString).lastPathComponent]
            })
        }
        router.get("/api/scenarios/:id") { _, context in
            guard let entry = catalog.entry(id: try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            return try Self.json(ScenarioJSON(entry))
        }
        router.get("/scenario/:id") { _, context in
            guard let entry = catalog.entry(id: try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            return Self.download(entry.text, type: "application/yaml; charset=utf-8", name: (entry.file as NSString).lastPathComponent)
        }
        router.post("/api/validate") { request, _ in
            let body = try await Self.body(request)
            do {
                let prepared = try prepare(body, defaultReplications: options.replications)
                return try Self.json(Validated(errors: [], changes: prepared.changes))
            } catch let errors as FieldErrors {
                return try Self.json(["errors": errors.errors], status: .unprocessableContent)
            }
        }
        router.post("/api/compare") { request, _ in
            let body = try await Self.body(request)
            let prepared: Prepared
            do { prepared = try prepare(body, defaultReplications: options.replications) } catch let errors as FieldErrors {
                return try Self.json(["errors": errors.errors], status: .unprocessableContent)
            }
            let result = try await Self.offload { try prepared.comparison.run() }
            let comparison = await session.add(prepared, result)
            return try Self.json(comparison.json)
        }
        router.get("/api/comparisons") { _, _ in try Self.json(await session.all().map(\.json)) }
        router.get("/api/comparisons/:n/scenario.yaml") { _, context in
            guard let c = await session.get(try context.parameters.require("n", as: Int.self)) else { throw HTTPError(.notFound) }
            return Self.download(c.yamlDownload, type: "application/yaml; charset=utf-8", name: c.yamlFileName)
        }
        router.get("/api/comparisons/:n/report.html") { _, context in
            guard let c = await session.get(try context.parameters.require("n", as: Int.self)) else { throw HTTPError(.notFound) }
            return Self.download(ComparisonReport.html(c), type: "text/html; charset=utf-8", name: c.reportFileName)
        }
        router.post("/api/jobs") { request, _ in
            let body = try await Self.body(request)
            let prepared: Prepared
            do { prepared = try prepare(body, defaultReplications: options.longReplications) } catch let errors as FieldErrors {
                return try Self.json(["errors": errors.errors], status: .unprocessableContent)
            }
            let id = await session.addJob(prepared)
            return try Self.json(["id": id, "replications": prepared.comparison.replications], status: .created)
        }
        router.get("/api/jobs/:id") { _, context in
            guard let job = await session.job(try context.parameters.require("id", as: Int.self)) else { throw HTTPError(.notFound) }
            let comparison = job.prepared.comparison
            return try Self.json(JobState(done: comparison.completed, total: comparison.replications, cancelled: comparison.isCancelled))
        }
        router.post("/api/jobs/:id/cancel") { _, context in
            guard let job = await session.job(try context.parameters.require("id", as: Int.self)) else { throw HTTPError(.notFound) }
            job.prepared.comparison.cancel()
            return Response(status: .noContent)
        }
        router.get("/api/jobs/:id/events") { _, context in
            guard let job = await session.job(try context.parameters.require("id", as: Int.self)) else { throw HTTPError(.notFound) }
            // A job streams once; a browser reconnecting after the end gets 204, which tells an
            // EventSource not to try again.
            guard job.claim() else { return Response(status: .noContent) }
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                body: ResponseBody { writer in try await stream(job, to: &writer) })
        }
        return router
    }

    /// Streams a long comparison's progress as server-sent events, then its result. If the client
    /// goes away (a write fails) or the task is cancelled, the workers are stopped.
    func stream(_ job: Job, to writer: inout any ResponseBodyWriter) async throws {
        let comparison = job.prepared.comparison
        let total = comparison.replications
        let work = Task.detached { try await Self.offload { try comparison.run() } }
        func event(_ name: String, _ data: String) -> ByteBuffer { ByteBuffer(string: "event: \(name)\ndata: \(data)\n\n") }
        do {
            try await withTaskCancellationHandler {
                try await writer.write(ByteBuffer(string: "retry: 86400000\n\n"))
                try await writer.write(event("start", "{\"total\":\(total)}"))
                var last = -1
                while true {
                    let done = comparison.completed
                    if done != last {
                        try await writer.write(event("progress", "{\"done\":\(done),\"total\":\(total)}"))
                        last = done
                    }
                    if done >= total || comparison.isCancelled { break }
                    try await Task.sleep(nanoseconds: 150_000_000)
                }
            } onCancel: { comparison.cancel() }
            switch await work.result {
            case let .success(result):
                let finished = await session.add(job.prepared, result)
                let json = try JSONEncoder.studio.encode(finished.json)
                try await writer.write(event("done", String(decoding: json, as: UTF8.self)))
            case .failure:
                try await writer.write(event("cancelled", "{\"done\":\(comparison.completed),\"total\":\(total)}"))
            }
            try await writer.finish(nil)
        } catch {
            comparison.cancel()
            _ = await work.result
            throw error
        }
    }

    // MARK: - Requests

    /// A validated request: the entry, the changed template and the comparison to run.
    struct Prepared: Sendable {
        let entry: Catalog.Entry
        let changed: GovernanceEdit.Changed
        let comparison: PairedComparison
        var changes: [String] {
            GovernanceJSON(changed.template.scenario.governance).changes(from: GovernanceJSON(entry.template.scenario.governance))
        }
    }

    struct JobState: Encodable {
        let done: Int, total: Int, cancelled: Bool
    }

    struct Validated: Encodable {
        let errors: [FieldError]
        let changes: [String]
    }

    struct CompareRequest: Decodable {
        let scenario: String
        let governance: [String: JSONValue]?
        let replications: Int?
        let seed: UInt64?
    }

    func prepare(_ body: ByteBuffer, defaultReplications: Int) throws -> Prepared {
        let request: CompareRequest
        do {
            request = try JSONDecoder().decode(CompareRequest.self, from: Data(body.readableBytesView))
        } catch {
            throw FieldErrors([FieldError(path: "", message: "the request is not a comparison: expected {\"scenario\": ID, \"governance\": {...}, \"replications\": N, \"seed\": S}")])
        }
        guard let entry = catalog.entry(id: request.scenario) else {
            throw FieldErrors([FieldError(path: "scenario", message: "no listed scenario has id '\(request.scenario)'")])
        }
        let replications = request.replications ?? defaultReplications
        guard (2...Self.maxReplications).contains(replications) else {
            throw FieldErrors([FieldError(path: "replications", message: "must be between 2 and \(Self.maxReplications)")])
        }
        let change = try GovernanceChange(json: request.governance)
        let changed = try GovernanceEdit.apply(change, to: entry.text, file: (entry.file as NSString).lastPathComponent)
        let comparison = PairedComparison(current: entry.template, changed: changed.template, seed: request.seed ?? options.seed,
                                          replications: replications, jobs: options.jobs)
        return Prepared(entry: entry, changed: changed, comparison: comparison)
    }

    /// The body, at most `maxBody` bytes (NIOTooManyBytesError, answered 413, beyond).
    static func body(_ request: Request) async throws -> ByteBuffer {
        try await request.body.collect(upTo: maxBody)
    }

    /// Runs blocking work on a thread of its own, keeping Swift's cooperative threads free to serve.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    // MARK: - Responses

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func download(_ text: String, type: String, name: String) -> Response {
        let safe = String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
        return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(safe)\""],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: try JSONEncoder.studio.encode(value))))
    }
}

extension JSONEncoder {
    static var studio: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

/// Adds the security headers to every response, errors included, and refuses a declared body
/// larger than the limit before reading it.
///
/// On loopback it also answers only requests addressed to a loopback name (`Host: 127.0.0.1`,
/// `localhost`, `[::1]`), so that a web page elsewhere cannot reach it by DNS rebinding, and takes
/// POST bodies only as `application/json`, which another site's page cannot send without a CORS
/// preflight that the studio never grants.
struct SecurityMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    /// The host names accepted in `Host`; nil accepts any (when not bound to loopback).
    let allowedHosts: Set<String>?

    static func hostName(_ header: String) -> String {
        if header.hasPrefix("["), let end = header.firstIndex(of: "]") { return String(header[...end]) }
        return String(header.split(separator: ":", maxSplits: 1).first ?? "")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        let isPost = request.method == .post
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if let allowedHosts, !allowedHosts.contains(Self.hostName(request.head.authority ?? "").lowercased()) {
            response = Response(status: .misdirectedRequest)
        } else if let length = request.headers[.contentLength].flatMap(Int.init), length > StudioServer.maxBody {
            response = Response(status: .contentTooLarge)
        } else if isPost && !contentType.hasPrefix("application/json") {
            response = Response(status: .unsupportedMediaType)
        } else {
            do {
                response = try await next(request, context)
            } catch let error as any HTTPResponseError {
                response = try error.response(from: request, context: context)
            }
        }
        response.headers[.contentSecurityPolicy] = StudioServer.securityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }
}

/// The session's comparisons (the list of options tried) and long jobs.
actor Session {
    private var comparisons: [SessionComparison] = []
    private var jobs: [Int: Job] = [:]
    private var nextJob = 1
    /// Comparisons and jobs kept at most (the oldest are dropped).
    static let limit = 200
    static let jobLimit = 20

    func add(_ prepared: StudioServer.Prepared, _ result: ComparisonResult) -> SessionComparison {
        let comparison = SessionComparison(
            id: (comparisons.last?.id ?? 0) + 1, entryID: prepared.entry.id, scenarioName: prepared.entry.template.scenario.name,
            changedYAML: prepared.changed.yaml, result: result,
            current: prepared.entry.template.scenario.governance, changed: prepared.changed.template.scenario.governance)
        comparisons.append(comparison)
        if comparisons.count > Self.limit { comparisons.removeFirst() }
        return comparison
    }

    func all() -> [SessionComparison] { comparisons }
    func get(_ id: Int) -> SessionComparison? { comparisons.first { $0.id == id } }

    func addJob(_ prepared: StudioServer.Prepared) -> Int {
        let id = nextJob
        nextJob += 1
        jobs[id] = Job(prepared: prepared)
        // Keep the latest jobs only (a job holds its scenario and, while it runs, its workers).
        for old in jobs.keys.sorted() where jobs.count > Self.jobLimit && old != id {
            jobs[old]?.prepared.comparison.cancel()
            jobs[old] = nil
        }
        return id
    }

    func job(_ id: Int) -> Job? { jobs[id] }
}

/// A long comparison waiting for (or streaming to) its event stream.
final class Job: Sendable {
    let prepared: StudioServer.Prepared
    private let claimed = Locked(false)
    init(prepared: StudioServer.Prepared) { self.prepared = prepared }
    /// True the first time only: a job streams to one client.
    func claim() -> Bool { claimed.withLock { was in defer { was = true }; return !was } }
}
