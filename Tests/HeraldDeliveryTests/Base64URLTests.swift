import Foundation
import Testing

@testable import HeraldDelivery

@Suite struct Base64URLTests {
    @Test func matchesFoundationsBase64InTheURLAlphabetWithoutPadding() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let expected = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(UnsubscribeSigner.base64url(bytes) == expected, "length \(length)")
            #expect(UnsubscribeSigner.unbase64url(UnsubscribeSigner.base64url(bytes)) == bytes)
        }
    }
}
