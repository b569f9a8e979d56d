import Crypto
import Foundation

/// SHA-256 digests of files and texts, as lowercase hex (for manifests and sweep stores).
public enum FileHash {
    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    public static func sha256(_ text: String) -> String { sha256(Data(text.utf8)) }
}
