extension JSONParseError {
    /// The 1-based line and column of `offset` in `bytes` (the text that failed to parse); the
    /// column counts characters, not bytes, so an editor lands on the offending one.
    public func position(in bytes: some Collection<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in bytes.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                // Continuation bytes of a UTF-8 sequence do not start a new character.
                column += 1
            }
        }
        return (line, column)
    }
}
