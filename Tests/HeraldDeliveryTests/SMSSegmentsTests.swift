import Testing

@testable import HeraldDelivery

@Suite struct SMSSegmentsTests {
    private func count(_ text: String) -> (SMSEncoding, Int) {
        let result = SMSSegments.count(text: text)
        return (result.encoding, result.segments)
    }

    @Test func gsm7Boundaries() {
        #expect(count("") == (.gsm7, 0))
        #expect(count(String(repeating: "a", count: 160)) == (.gsm7, 1))
        #expect(count(String(repeating: "a", count: 161)) == (.gsm7, 2))
        #expect(count(String(repeating: "a", count: 306)) == (.gsm7, 2))
        #expect(count(String(repeating: "a", count: 307)) == (.gsm7, 3))
        #expect(count("Héllo @ £5 — no") == (.ucs2, 1))
        #expect(count("Hèllo @ £5, ¿qué? Ñ ß Ø Δ") == (.gsm7, 1))
    }

    @Test func extensionCharactersTakeTwoSeptets() {
        #expect(count(String(repeating: "€", count: 80)) == (.gsm7, 1))
        #expect(count(String(repeating: "€", count: 81)) == (.gsm7, 2))
        #expect(count(String(repeating: "a", count: 159) + "[") == (.gsm7, 2))
        #expect(count("{}[]~|^\\\u{0C}") == (.gsm7, 1))
    }

    @Test func escapeSequencesAreNotSplitAcrossParts() {
        // 306 septets would be 2 parts, but the € straddles the first boundary and moves whole.
        #expect(count(String(repeating: "a", count: 152) + "€" + String(repeating: "a", count: 152)) == (.gsm7, 3))
        #expect(count(String(repeating: "a", count: 151) + "€" + String(repeating: "a", count: 153)) == (.gsm7, 2))
    }

    @Test func ucs2Boundaries() {
        #expect(count(String(repeating: "ж", count: 70)) == (.ucs2, 1))
        #expect(count(String(repeating: "ж", count: 71)) == (.ucs2, 2))
        #expect(count(String(repeating: "ж", count: 134)) == (.ucs2, 2))
        #expect(count(String(repeating: "ж", count: 135)) == (.ucs2, 3))
        // One non-GSM character switches the whole message.
        #expect(count(String(repeating: "a", count: 69) + "ж") == (.ucs2, 1))
        #expect(count(String(repeating: "a", count: 70) + "ж") == (.ucs2, 2))
    }

    @Test func surrogatePairsCountTwoAndStayWhole() {
        #expect(count(String(repeating: "😀", count: 35)) == (.ucs2, 1))
        #expect(count(String(repeating: "😀", count: 36)) == (.ucs2, 2))
        #expect(count(String(repeating: "ж", count: 66) + "😀" + String(repeating: "ж", count: 66)) == (.ucs2, 3))
        #expect(count(String(repeating: "ж", count: 65) + "😀" + String(repeating: "ж", count: 67)) == (.ucs2, 2))
    }

    @Test func lineBreaksCountPerCharacter() {
        #expect(count(String(repeating: "a", count: 158) + "\r\n") == (.gsm7, 1))
        #expect(count(String(repeating: "a", count: 159) + "\r\n") == (.gsm7, 2))
    }
}
