import Experiments
import ScenarioFile
import Stochastic
import Yams

/// Scenario fields made uncertain at sweep-style field paths, and where each landed among the
/// template's uncertain fields.
///
/// Each path's field is replaced by a distribution node (a prior, or a placeholder) and the tree is
/// loaded as a scenario: the loader checks that the path's field accepts a distribution, validates
/// the distribution, and makes the field one of the template's `uncertain` fields. Which of those is
/// path i is found by loading the tree once more with path i holding a sentinel distribution: the
/// uncertain field carrying the sentinel names path i's field in the loader's own spelling (robust
/// to fields the base scenario already gives as distributions).
public struct ParameterBinding: Sendable {
    /// The template with every bound field uncertain.
    public let template: ScenarioTemplate
    /// Position in `template.uncertain` of each path's field.
    public let fields: [Int]

    /// The distribution the loader read for each path.
    public var distributions: [Distribution] { fields.map { template.uncertain[$0].distribution } }

    static let sentinel = Distribution.normal(mean: 0.123_456_789_012_345, sd: 9.876_543_21)
    static var sentinelNode: Node { Node.mapping(Node.Mapping([
        (Node("dist"), Node("normal")), (Node("mean"), Node("0.123456789012345")), (Node("sd"), Node("9.87654321")),
    ])) }

    /// Binds `paths` in the scenario tree `root`, each to the distribution node `nodes[i]`;
    /// `file` names the result in messages.
    public static func bind(root: Node, paths: [FactorPath], nodes: [Node], file: String) throws(CalibrationError) -> ParameterBinding {
        func setting(_ nodes: [Node]) throws(CalibrationError) -> Node {
            var tree = root
            do {
                for (path, node) in zip(paths, nodes) { tree = try path.setting(node, in: tree) }
            } catch {
                throw CalibrationError(file: file, message: error.message)
            }
            return tree
        }
        let template: ScenarioTemplate
        do {
            template = try ScenarioLoader.load(root: try setting(nodes), file: file)
        } catch let error as CalibrationError {
            throw error
        } catch {
            throw CalibrationError(diagnostics: (error as? ScenarioFileError)?.diagnostics ?? [])
        }
        var fields: [Int] = []
        for (index, path) in paths.enumerated() {
            var marked = nodes
            marked[index] = sentinelNode
            let found = try? ScenarioLoader.load(root: try setting(marked), file: file).uncertain
                .first { $0.distribution == sentinel }?.path
            guard let found, let field = template.uncertain.firstIndex(where: { $0.path == found }) else {
                throw CalibrationError(file: file, message: "'\(path)' does not address a numeric field that can be uncertain")
            }
            if let other = fields.firstIndex(of: field) {
                throw CalibrationError(file: file, message: "'\(path)' addresses the same field as parameter \(other + 1) ('\(paths[other])')")
            }
            fields.append(field)
        }
        return ParameterBinding(template: template, fields: fields)
    }
}
