/// A bounded memory of idempotency keys this process saw the provider accept, oldest forgotten first.
struct RecentSends: Sendable {
    private var providerMessageIds: [String: String] = [:]
    private var order: [String] = []
    private var head = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The provider's id for `key`, when this process sent it recently.
    func providerMessageId(for key: String) -> String? {
        providerMessageIds[key]
    }

    /// Remembers that `key` was sent as `providerMessageId`.
    mutating func insert(_ key: String, providerMessageId: String) {
        if providerMessageIds.updateValue(providerMessageId, forKey: key) != nil { return }
        order.append(key)
        if order.count - head > capacity {
            providerMessageIds[order[head]] = nil
            head += 1
            // Compact now and then so the array does not grow without bound.
            if head > capacity {
                order.removeFirst(head)
                head = 0
            }
        }
    }
}
