/// lspsim's version, written into every manifest.
public enum LspsimVersion {
    public static let current = "0.1.0"
}
