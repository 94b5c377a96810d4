extension ConfigurationCatalogue {
    /// The known name closest to `name` by edit distance, if it is close enough to be a typo.
    public func suggestion(for name: String) -> String? {
        let candidates = variables.flatMap(\.names)
        let scored = candidates.map { (name: $0, distance: Self.editDistance(name, $0)) }
        guard let best = scored.min(by: { $0.distance < $1.distance || ($0.distance == $1.distance && $0.name < $1.name) }) else { return nil }
        // Past a third of the name it is another word, not a typo.
        return best.distance <= max(2, name.count / 3) ? best.name : nil
    }

    /// Levenshtein distance: insertions, deletions and substitutions of single characters.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
