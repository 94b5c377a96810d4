/// What this build of Herald is, for `herald_build_info`.
public enum HeraldBuild {
    /// The source version (bumped with a release; `-dev` between releases).
    public static let version = "0.9.0-dev"

    /// The Swift compiler that built it, to the minor version.
    public static var swift: String {
        #if compiler(>=6.4)
        return ">=6.4"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #else
        return "<6.2"
        #endif
    }
}
