import Foundation
import HeraldCore
import HeraldDelivery
import HeraldFleet
import HeraldJourneys
import HeraldTestSupport
import Testing

/// The journeys shipped in config/journeys, loaded from the real files with their waits shortened
/// (see `ShippedJourneys`), driven through the real fleet (separate processes, a real Redis, the
/// real clock) by realistic Segment events.
@Suite struct ShippedJourneyFleetTests {
    static let fleetAndEmail = ["herald-ingestor", "herald-evaluator", "herald-scheduler", "herald-email-sender"]

    /// Starts the processes.
    static func start(_ fleet: FleetHarness, _ names: [String]) throws {
        for name in names { try fleet.start(name) }
    }

    // MARK: Abandoned cart (+ order confirmation)

    @Test(arguments: RedisMode.allCases) func abandonedCartRemindsByEmailThenSMSAndAPurchaseOfThatCartStopsOnlyThatCart(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [
            try ShippedJourneys.rewritten("abandoned-cart"), try ShippedJourneys.rewritten("order-confirmation"),
        ], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        try Self.start(fleet, Self.fleetAndEmail + ["herald-sms-sender"])

        func cart(_ id: String, items: Int = 2) -> [String: JSONValue] {
            [
                "cart_id": .string(id), "item_count": .number(Double(items)), "total": 89.5, "currency": "USD",
                "cart_url": .string("https://shop.example/cart/\(id)"),
                "items": [["name": "Kettle", "price": 49.5, "quantity": 1], ["name": "Mug", "price": 40, "quantity": 1]],
            ]
        }
        func person(_ user: String, phone: String) -> String {
            Segment.identify(user, "i-\(user)", traits: [
                "email": .string("\(user)@example.com"), "phone": .string(phone), "firstName": .string(user.capitalized),
                "timezone": "America/New_York", "locale": "en-US",
            ])
        }
        try await fleet.produce(connection, [
            person("ann", phone: "+14155550101"), person("bo", phone: "+14155550102"), person("cy", phone: "+14155550103"),
            // ann: two carts in flight (the concurrency key), c-A first.
            Segment.track("ann", "Cart Updated", "ann-1", cart("c-A")),
            Segment.track("ann", "Cart Updated", "ann-2", cart("c-B")),
            // bo: one cart updated four times: one instance, its wait restarted, still two reminders.
            Segment.track("bo", "Cart Updated", "bo-1", cart("c-C", items: 1)),
            Segment.track("bo", "Cart Updated", "bo-2", cart("c-C", items: 2)),
            Segment.track("bo", "Cart Updated", "bo-3", cart("c-C", items: 3)),
            Segment.track("bo", "Cart Updated", "bo-4", cart("c-C", items: 2)),
            // cy: an emptied cart does not enter; a later real one does.
            Segment.track("cy", "Cart Updated", "cy-1", cart("c-E", items: 0)),
            Segment.track("cy", "Cart Updated", "cy-2", cart("c-D")),
        ])

        // ann buys cart A once its email reminder went out (well before its SMS is due).
        var cartA = ""
        #expect(try await eventually(timeout: 20) {
            cartA = try await fleet.trail(connection, user: "ann", journey: "abandoned-cart", kind: "entered")
                .first { $0["message"]?.stringValue?.contains("for key 'c-A'") == true }?["instanceId"]?.stringValue ?? ""
            let records = try await fleet.records(connection)
            return !cartA.isEmpty && records.contains { $0.instance == cartA && $0.step == "email-reminder" && $0.status == "sent" }
        })
        try await fleet.produce(connection, [
            Segment.track("ann", "Order Completed", "ann-order", ["order_id": "o-A", "cart_id": "c-A", "total": 89.5, "currency": "USD"]),
        ])
        // Cart B entered after cart A, so its SMS is due after the one cart A would have had: once
        // B's SMS is recorded, A's could only have come before it.
        #expect(try await eventually(timeout: 25) {
            let records = try await fleet.records(connection).filter { $0.journey == "abandoned-cart" && $0.step == "sms-reminder" }
            return Set(records.map(\.user)) == ["ann", "bo", "cy"]
        })

        let records = try await fleet.records(connection)
        let carts = records.filter { $0.journey == "abandoned-cart" }
        #expect(carts.allSatisfy { $0.status == "sent" }, "\(carts)")
        #expect(carts.allSatisfy { ($0.step == "email-reminder") == ($0.channel == "email" && $0.template == "cart-reminder") })
        #expect(carts.allSatisfy { ($0.step == "sms-reminder") == ($0.channel == "sms" && $0.template == "cart-reminder-sms") })

        // ann: cart A got its email, then the purchase ended it; cart B got both reminders.
        let ann = carts.filter { $0.user == "ann" }
        #expect(ann.filter { $0.instance == cartA }.map(\.step) == ["email-reminder"], "no SMS for the purchased cart: \(ann)")
        let others = ann.filter { $0.instance != cartA }
        #expect(Set(others.map(\.instance)).count == 1)
        #expect(others.map(\.step) == ["email-reminder", "sms-reminder"], "\(others)")
        let annTrail = try await fleet.trail(connection, user: "ann")
        let exits = annTrail.filter { $0["kind"]?.stringValue == "exited" && $0["journey"]?.stringValue == "abandoned-cart" }
        #expect(exits.contains { $0["instanceId"]?.stringValue == cartA && $0["reason"]?.stringValue == "exitEvent: Order Completed" })
        let goal = annTrail.first { $0["kind"]?.stringValue == "goalReached" && $0["instanceId"]?.stringValue == cartA }
        #expect(goal?["revenue"]?.numberValue == 89.5)
        #expect(goal?["attributedStep"]?.stringValue == "email-reminder")
        let annSMS = fleet.outboxMessages(.sms).filter { $0["userId"]?.stringValue == "ann" }
        #expect(annSMS.count == 1)
        #expect(annSMS.first?["to"]?.stringValue == "+14155550101")
        let annText = annSMS.first?["text"]?.stringValue ?? ""
        #expect(annText.contains("cart/c-B") && !annText.contains("cart/c-A"), "the SMS is about the cart still in flight: \(annText)")

        // bo: four updates of one cart are one instance and at most two reminders.
        let bo = carts.filter { $0.user == "bo" }
        #expect(bo.map(\.step) == ["email-reminder", "sms-reminder"], "\(bo)")
        #expect(Set(bo.map(\.instance)).count == 1)
        #expect(try await fleet.trail(connection, user: "bo", journey: "abandoned-cart", kind: "entered").count == 1)
        #expect(try await fleet.trail(connection, user: "bo", journey: "abandoned-cart", kind: "waitReset").count == 3)

        // cy: the emptied cart did not enter, the later one did.
        let cyEntered = try await fleet.trail(connection, user: "cy", journey: "abandoned-cart", kind: "entered")
        #expect(cyEntered.count == 1)
        #expect(cyEntered.first?["message"]?.stringValue?.contains("for key 'c-D'") == true)
        #expect(carts.filter { $0.user == "cy" }.map(\.step) == ["email-reminder", "sms-reminder"])

        // ann's purchase also got its order confirmation, a transactional email.
        let confirmations = records.filter { $0.journey == "order-confirmation" }
        #expect(confirmations.count == 1)
        #expect(confirmations.first.map { ($0.user, $0.step, $0.channel, $0["category"], $0.status) } ?? ("", "", "", nil, "")
            == ("ann", "confirm", "email", "transactional", "sent"))
        #expect(fleet.emails().count == records.filter { $0.channel == "email" && $0.status == "sent" }.count)
        let codes = fleet.stopAll()
        #expect(codes.values.allSatisfy { $0 == 0 }, "\(codes)")
    }

    // MARK: Price drop, back in stock, welcome series

    @Test(arguments: RedisMode.allCases) func catalogAlertsMatchOnPropertiesAndTheWelcomeSeriesBranchesOnEngagement(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: try ["price-drop", "back-in-stock", "welcome-series"].map { try ShippedJourneys.rewritten($0) }, mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        try Self.start(fleet, Self.fleetAndEmail + ["herald-push-sender", "herald-inapp-sender"])

        func drop(_ id: String, _ product: String, percent: Double, watching: Bool) -> String {
            Segment.track("kim", "Price Dropped", id, [
                "product_id": .string(product), "name": "Trail Runner 3", "old_price": 140, "new_price": .number(140 * (1 - percent / 100)),
                "drop_percent": .number(percent), "watching": .bool(watching),
            ])
        }
        func restock(_ id: String, _ product: String, inventory: Int, subscribed: Bool) -> String {
            Segment.track("kim", "Back In Stock", id, [
                "product_id": .string(product), "name": "Camp Mug", "inventory": .number(Double(inventory)), "subscribed": .bool(subscribed),
            ])
        }
        try await fleet.produce(connection, [
            Segment.identify("kim", "i-kim", traits: [
                "email": "kim@example.com", "pushToken": "fcm-token-kim", "timezone": "Asia/Seoul", "locale": "ko-KR", "firstName": "Kim",
            ]),
            // Each channel's last alert matches, so once it is recorded the ones before it were decided.
            drop("pd-1", "p-42", percent: 20, watching: true),
            drop("pd-2", "p-77", percent: 4, watching: true),
            drop("pd-3", "p-55", percent: 25, watching: false),
            drop("pd-4", "p-43", percent: 10, watching: true),
            restock("bis-1", "p-98", inventory: 0, subscribed: true),
            restock("bis-2", "p-97", inventory: 5, subscribed: false),
            restock("bis-3", "p-99", inventory: 25, subscribed: true),
            Segment.identify("dan", "i-dan", traits: ["email": "dan@example.com", "firstName": "Dan", "timezone": "America/Los_Angeles"]),
            Segment.track("dan", "Signed Up", "dan-1", ["plan": "free", "source": "landing-page"]),
            Segment.identify("erin", "i-erin", traits: ["email": "erin@example.com", "firstName": "Erin", "timezone": "Asia/Tokyo", "locale": "ja-JP"]),
            Segment.track("erin", "Signed Up", "erin-1", ["plan": "free", "source": "referral"]),
            Segment.track("erin", "Cart Updated", "erin-2", ["cart_id": "c-5001", "item_count": 1, "total": 30]),
        ])

        #expect(try await eventually(timeout: 20) {
            let records = try await fleet.records(connection)
            return records.filter { $0.journey == "price-drop" }.count >= 2 && records.contains { $0.journey == "back-in-stock" }
                && records.contains { $0.journey == "welcome-series" && $0.step == "welcome-inapp" }
        })
        // dan's series is over: a repeated sign-up (a duplicate form post) does not start it again.
        #expect(try await eventually(timeout: 10) {
            try await !fleet.trail(connection, user: "dan", journey: "welcome-series", kind: "exited").isEmpty
        })
        try await fleet.produce(connection, [Segment.track("dan", "Signed Up", "dan-2", ["plan": "free", "source": "duplicate-form-post"])])
        #expect(try await eventually(timeout: 10) {
            try await !fleet.trail(connection, user: "dan", journey: "welcome-series", kind: "notEntered").isEmpty
        })

        let records = try await fleet.records(connection)
        // Price drop: watched products that dropped at least 10 %, one push each.
        let drops = records.filter { $0.journey == "price-drop" }
        #expect(drops.count == 2, "\(drops)")
        #expect(drops.allSatisfy { $0.user == "kim" && $0.step == "notify" && $0.channel == "push" && $0.template == "price-drop" })
        #expect(drops.allSatisfy { $0.status == "sent" }, "\(drops)")
        let dropKeys = try await fleet.trail(connection, user: "kim", journey: "price-drop", kind: "entered").compactMap { $0["message"]?.stringValue }
        #expect(dropKeys.count == 2)
        #expect(dropKeys.first?.contains("for key 'p-42'") == true && dropKeys.last?.contains("for key 'p-43'") == true, "\(dropKeys)")
        let pushes = fleet.outboxMessages(.push)
        #expect(pushes.count == 2)
        #expect(pushes.allSatisfy { $0["to"]?.stringValue == "fcm-token-kim" && $0["userId"]?.stringValue == "kim" })
        // Back in stock: only the subscribed product that has stock.
        let restocks = records.filter { $0.journey == "back-in-stock" }
        #expect(restocks.count == 1, "\(restocks)")
        #expect(restocks.allSatisfy { $0.user == "kim" && $0.step == "notify" && $0.channel == "email" && $0.template == "back-in-stock" })
        #expect(restocks.allSatisfy { $0.status == "sent" }, "\(restocks)")
        let restockKeys = try await fleet.trail(connection, user: "kim", journey: "back-in-stock", kind: "entered").compactMap { $0["message"]?.stringValue }
        #expect(restockKeys.count == 1 && restockKeys.first?.contains("for key 'p-99'") == true, "\(restockKeys)")

        // Welcome series: both get the welcome email; only dan, who did nothing for the wait, the in-app nudge.
        let welcome = records.filter { $0.journey == "welcome-series" }
        #expect(welcome.filter { $0.user == "dan" }.map(\.step) == ["welcome-email", "welcome-inapp"], "\(welcome)")
        #expect(welcome.filter { $0.user == "erin" }.map(\.step) == ["welcome-email"], "\(welcome)")
        #expect(welcome.filter { $0.step == "welcome-email" }.allSatisfy { $0.channel == "email" && $0.template == "welcome" && $0.status == "sent" })
        let inapp = welcome.filter { $0.step == "welcome-inapp" }
        #expect(inapp.allSatisfy { $0.channel == "inapp" && $0.template == "welcome" && $0.status == "sent" }, "\(inapp)")
        let inbox = try await InAppInboxProvider.read(user: "dan", keyspace: fleet.keyspace, connection: connection)
        #expect(inbox.messages.count == 1)
        #expect(inbox.unread == 1)
        let erinBranch = try await fleet.trail(connection, user: "erin", journey: "welcome-series", kind: "branchTaken")
        #expect(erinBranch.compactMap { $0["next"]?.stringValue } == ["done"])
        let erinExit = try await fleet.trail(connection, user: "erin", journey: "welcome-series", kind: "exited")
        #expect(erinExit.compactMap { $0["reason"]?.stringValue } == ["exitStep: series finished"])
        let danBranch = try await fleet.trail(connection, user: "dan", journey: "welcome-series", kind: "branchTaken")
        #expect(danBranch.compactMap { $0["next"]?.stringValue } == ["welcome-inapp"])
        #expect(try await fleet.trail(connection, user: "dan", journey: "welcome-series", kind: "entered").count == 1)
        let welcomeEmails = fleet.emailTexts().filter { $0.contains("To: dan@example.com") || $0.contains("To: erin@example.com") }
        #expect(welcomeEmails.count == 2)
        #expect(welcomeEmails.contains { $0.contains("Subject: Welcome to Herald Shop, Dan!") })
        _ = fleet.stopAll()
    }

    // MARK: 180-day re-engagement

    /// Re-engagement: inactivity re-armed by each order, a win-back email, then a push unless the
    /// user comes back. Runs in the date test's fleet while that one waits for its moment.
    static func reengagementWaitsForInactivityReArmedByEachOrderThenNudgesUnlessTheUserComesBack(_ fleet: FleetHarness) async throws {
        let shipped = try #require(JourneyDuration("180d"))
        let inactivity = try #require(JourneyDuration(ShippedJourneys.shortWait(shipped))).seconds
        let connection = fleet.connection()
        func order(_ user: String, _ id: String) -> String {
            Segment.track(user, "Order Completed", id, ["order_id": .string(id), "total": 42, "currency": "USD"])
        }
        try await fleet.produce(connection, [
            Segment.identify("lea", "i-lea", traits: ["email": "lea@example.com", "pushToken": "fcm-token-lea", "firstName": "Lea"]),
            Segment.identify("max", "i-max", traits: ["email": "max@example.com", "pushToken": "fcm-token-max", "firstName": "Max"]),
            Segment.identify("ned", "i-ned", traits: ["pushToken": "fcm-token-ned", "firstName": "Ned"]),
            order("lea", "o-lea-1"), order("max", "o-max-1"), order("ned", "o-ned-1"),
        ])
        // lea orders again two seconds later: her inactivity timer starts over.
        try await Task.sleep(for: .seconds(2))
        let secondOrder = Date()
        try await fleet.produce(connection, [order("lea", "o-lea-2")])

        // max comes back after the win-back email: no push for him.
        #expect(try await eventually(timeout: 20) {
            try await fleet.records(connection).contains { $0.user == "max" && $0.step == "winback-email" && $0.status == "sent" }
        })
        try await fleet.produce(connection, [Segment.track("max", "Session Started", "max-session", ["source": "email"])])
        // lea's push comes last (her timer was re-armed): by then max's would have been recorded.
        #expect(try await eventually(timeout: 30) {
            try await fleet.records(connection).contains { $0.user == "lea" && $0.step == "winback-push" }
        })

        let records = try await fleet.records(connection).filter { $0.journey == "reengagement-180d" }
        let lea = records.filter { $0.user == "lea" }
        #expect(lea.map(\.step) == ["winback-email", "winback-push"], "\(lea)")
        let leaEmail = try #require(lea.first)
        #expect(leaEmail.channel == "email" && leaEmail.template == "winback" && leaEmail.status == "sent")
        let requested = try #require(leaEmail.requestedAt)
        #expect(requested.timeIntervalSince(secondOrder) >= Double(inactivity) - 0.01, "the second order re-armed the inactivity timer")
        #expect(try await fleet.trail(connection, user: "lea", journey: "reengagement-180d", kind: "entered").count == 1)
        let leaPush = try #require(lea.last)
        #expect(leaPush.channel == "push" && leaPush.template == "winback")
        #expect(leaPush.status == "sent", "\(leaPush)")
        #expect(fleet.outboxMessages(.push).filter { $0["userId"]?.stringValue == "lea" }.map { $0["to"]?.stringValue } == ["fcm-token-lea"])
        #expect(try await fleet.trail(connection, user: "lea", journey: "reengagement-180d", kind: "branchTaken")
            .compactMap { $0["next"]?.stringValue } == ["winback-push"])

        let max = records.filter { $0.user == "max" }
        #expect(max.map(\.step) == ["winback-email"], "\(max)")
        #expect(try await fleet.trail(connection, user: "max", journey: "reengagement-180d", kind: "eventReceived")
            .compactMap { $0["event"]?.stringValue } == ["Session Started"])
        #expect(try await fleet.trail(connection, user: "max", journey: "reengagement-180d", kind: "exited")
            .compactMap { $0["reason"]?.stringValue } == ["exitStep: came back"])

        // ned has no email address: the trigger's condition keeps him out.
        #expect(records.filter { $0.user == "ned" }.isEmpty)
        #expect(try await fleet.trail(connection, user: "ned", journey: "reengagement-180d", kind: "notEntered").count == 1)
        let winbacks = fleet.emailTexts().filter { $0.contains("Subject: We miss you at Herald Shop") }
        #expect(winbacks.filter { $0.contains("To: lea@example.com") }.count == 1)
        #expect(winbacks.filter { $0.contains("To: max@example.com") }.count == 1)
    }

    // MARK: Birthday, Cyber Monday (recurring) days, review request window (+ re-engagement meanwhile)

    @Test(arguments: RedisMode.allCases) func dateTriggersAndTheReviewWindowFireAtTheirLocalMomentWhileReengagementRuns(mode: RedisMode) async throws {
        // Date triggers and windows have minute precision: aim every one at the next whole minute.
        let moment = ShippedJourneys.nextMinute(lead: 10)
        let momentMs = Int64(moment.timeIntervalSince1970 * 1000)
        let fleet = try FleetHarness(journeys: [
            try ShippedJourneys.rewritten("birthday", moment: moment),
            try ShippedJourneys.rewritten("cyber-monday-presale", moment: moment),
            try ShippedJourneys.rewritten("cyber-monday-launch", moment: moment),
            // Last call's day is already past this year when users are first seen: it comes round next year.
            try ShippedJourneys.rewritten("cyber-monday-last-call", moment: moment.addingTimeInterval(-86_400)),
            try ShippedJourneys.rewritten("review-request", moment: moment),
            try ShippedJourneys.rewritten("reengagement-180d"),
        ])
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        let utc = LocalMoment(moment, zone: TimeZone(identifier: "UTC")!)
        let london = LocalMoment(moment, zone: TimeZone(identifier: "Europe/London")!)
        try await fleet.produce(connection, [
            // Birthdays, at the journey's 09:00-like time, read in each user's zone.
            Segment.identify("bea", "i-bea", traits: ["email": "bea@example.com", "firstName": "Bea", "timezone": "Europe/London", "birthday": .string("1990-" + london.monthDay)]),
            Segment.identify("cal", "i-cal", traits: ["email": "cal@example.com", "firstName": "Cal", "birthday": .string(utc.monthDay)]),
            Segment.identify("dee", "i-dee", traits: ["firstName": "Dee", "birthday": .string("1992-" + utc.monthDay)]),
            Segment.identify("eli", "i-eli", traits: ["email": "eli@example.com", "timezone": "Asia/Tokyo", "birthday": .string("1988-" + utc.monthDay)]),
            // Cyber Monday: opted in (New York), opted out, opted in but in Tokyo (that wall-clock time is past there today).
            Segment.identify("fay", "i-fay", traits: ["email": "fay@example.com", "timezone": "America/New_York", "marketingOptIn": true]),
            Segment.identify("gus", "i-gus", traits: ["email": "gus@example.com", "timezone": "America/New_York", "marketingOptIn": false]),
            Segment.identify("hal", "i-hal", traits: ["email": "hal@example.com", "timezone": "Asia/Tokyo", "marketingOptIn": true, "birthday": "1985-01-01"]),
            // Review request: two orders, one refunded.
            Segment.identify("rio", "i-rio", traits: ["email": "rio@example.com", "firstName": "Rio"]),
            Segment.track("rio", "Order Completed", "rio-1", ["order_id": "o-1", "total": 120, "currency": "USD"]),
            Segment.track("rio", "Order Completed", "rio-2", ["order_id": "o-2", "total": 30, "currency": "USD"]),
            Segment.track("rio", "Order Refunded", "rio-3", ["order_id": "o-2", "total": 30]),
        ])
        try Self.start(fleet, Self.fleetAndEmail + ["herald-push-sender"])
        async let reengagement: Void = Self.reengagementWaitsForInactivityReArmedByEachOrderThenNudgesUnlessTheUserComesBack(fleet)

        func timer(_ user: String, _ journey: String) async throws -> Int64? {
            try await connection.send("ZSCORE", fleet.keyspace.timers(fleet.keyspace.partition(ofUser: user)), JourneyTimer.triggerTimerId(user: user, journey: journey, kind: .date)).int
        }
        // Before the moment: the triggers are scheduled for it, per user and zone.
        #expect(try await eventually(timeout: 10) {
            let fay = try await timer("fay", "cyber-monday-presale"), hal = try await timer("hal", "birthday"), eli = try await timer("eli", "birthday")
            return fay != nil && hal != nil && eli != nil
        })
        #expect(Date() < moment, "the checks before the moment ran before it")
        for (user, journey) in [("bea", "birthday"), ("cal", "birthday"), ("dee", "birthday"), ("fay", "cyber-monday-presale"),
                                ("fay", "cyber-monday-launch"), ("gus", "cyber-monday-presale")] {
            #expect(try await timer(user, journey) == momentMs, "\(user) \(journey)")
        }
        #expect(try await timer("eli", "birthday") ?? 0 > momentMs + 300 * 86_400_000, "09:00-like in Tokyo today is past: next year")
        #expect(try await timer("hal", "cyber-monday-presale") ?? 0 > momentMs + 300 * 86_400_000, "the day's time is past in Tokyo: next year")
        #expect(try await timer("fay", "cyber-monday-last-call") ?? 0 > momentMs + 300 * 86_400_000, "a recurring day past this year comes round next year")
        var window: [String] = []
        #expect(try await eventually(timeout: Swift.max(1, moment.timeIntervalSinceNow - 1)) {
            window = try await fleet.trail(connection, user: "rio", journey: "review-request", kind: "waitingUntil")
                .filter { $0["step"]?.stringValue == "daytime" }.compactMap { $0["until"]?.stringValue }
            return !window.isEmpty
        })
        #expect(window == [ISO8601.format(moment)], "after its 3-day wait, o-1 waits for the window to open")
        #expect(try await fleet.trail(connection, user: "rio", journey: "review-request", kind: "exited")
            .compactMap { $0["reason"]?.stringValue } == ["exitEvent: Order Refunded"])

        let expected: Set<String> = ["bea birthday", "cal birthday", "fay cyber-monday-presale", "fay cyber-monday-launch", "rio review-request"]
        // The re-engagement scenario's users (and rio's re-engagement) run alongside: leave them out.
        let dated: Set<String> = ["bea", "cal", "dee", "eli", "fay", "gus", "hal", "rio"]
        let timed = { (record: DeliveryRecord) in dated.contains(record.user) && record.journey != "reengagement-180d" }
        #expect(try await eventually(timeout: Swift.max(20, moment.timeIntervalSinceNow + 20)) {
            try await Set(fleet.records(connection).filter(timed).map { "\($0.user) \($0.journey)" }) == expected
        })
        #expect(try await eventually(timeout: 10) {
            let gus = try await fleet.trail(connection, user: "gus", kind: "notEntered")
            let dee = try await fleet.trail(connection, user: "dee", journey: "birthday", kind: "notEntered")
            return gus.count == 2 && dee.count == 1
        })
        let records = try await fleet.records(connection).filter(timed)
        #expect(records.count == expected.count, "one each, nothing else: \(records)")
        for record in records {
            #expect(try #require(record.requestedAt) >= moment, "\(record) waited for its moment")
            #expect(record.channel == "email")
            #expect(record.status == "sent", "\(record)")
        }
        #expect(records.filter { $0.journey == "birthday" }.allSatisfy { $0.step == "greet" && $0.template == "birthday" })
        #expect(records.filter { $0.journey.hasPrefix("cyber-monday") }.allSatisfy { $0.step == "announce" && $0.template == $0.journey })
        #expect(records.filter { $0.journey == "review-request" }.map { "\($0.step) \($0.template)" } == ["ask review-request"])
        #expect(fleet.emailTexts().contains { $0.contains("To: bea@example.com") && $0.contains("Subject: Happy birthday, Bea!") })
        try await reengagement
        let codes = fleet.stopAll()
        #expect(codes.values.allSatisfy { $0 == 0 }, "\(codes)")
    }

    // MARK: Templates

    @Test func everyShippedSendHasATemplateItsChannelCanRender() throws {
        var missing: [String] = []
        for id in ShippedJourneys.ids {
            for step in try ShippedJourneys.document(id)["steps"]?.arrayValue ?? [] {
                guard let send = step["send"], let template = send["template"]?.stringValue,
                    let channel = send["channel"]?.stringValue.flatMap(Channel.init(rawValue:))
                else { continue }
                if !ShippedJourneys.renderable(template, channel: channel) { missing.append("\(id)/\(step["id"]?.stringValue ?? ""): \(channel.rawValue) '\(template)'") }
            }
        }
        #expect(!ShippedJourneys.ids.isEmpty)
        #expect(missing.isEmpty, "sends whose template is missing or lacks the channel's part: \(missing)")
    }
}
