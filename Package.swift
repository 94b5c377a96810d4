// swift-tools-version: 6.0
import PackageDescription

/// Herald: a triggered-messaging fleet. No Swift package dependencies; C libraries come from Debian.
let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let executables = [
    "herald-ingestor", "herald-evaluator", "herald-scheduler",
    "herald-email-sender", "herald-sms-sender", "herald-push-sender",
    "herald-webhook-sender", "herald-inapp-sender", "herald-edge", "heraldctl", "herald-bench",
]

let package = Package(
    name: "Herald",
    platforms: [.macOS(.v14)],
    products: executables.map { .executable(name: $0, targets: [$0]) } + [
        .library(name: "HeraldCore", targets: ["HeraldCore"]),
    ],
    targets: [
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd", providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Shared models, keyspace, Redis access and the worker runtime.
        .target(name: "HeraldCore", dependencies: ["CHiredis", "CMicroHTTPD", "CZlib"],
                resources: [.copy("Scripts")], swiftSettings: strict),
        // Mustache templates (pure).
        .target(name: "HeraldTemplates", dependencies: ["HeraldCore"], swiftSettings: strict),
        // Journey definitions and the pure journey engine; the validator checks steps' templates.
        .target(name: "HeraldJourneys", dependencies: ["HeraldCore", "HeraldTemplates"], swiftSettings: strict),
        // Delivery policy (consent, caps, quiet hours, retries) and channel providers.
        .target(name: "HeraldDelivery", dependencies: ["HeraldCore", "HeraldTemplates", "CCurl", "CCrypto"],
                swiftSettings: strict),
        // The services every executable runs.
        .target(name: "HeraldFleet", dependencies: ["HeraldCore", "HeraldJourneys", "HeraldTemplates", "HeraldDelivery"],
                swiftSettings: strict),
        // What tests share: a real redis-server, child processes, free ports, a manual clock, polling.
        .target(name: "HeraldTestSupport", dependencies: ["HeraldCore"], path: "Tests/HeraldTestSupport", swiftSettings: strict),
    ] + executables.map {
        .executableTarget(name: $0, dependencies: ["HeraldFleet"], swiftSettings: strict)
    } + [
        .testTarget(name: "HeraldCoreTests", dependencies: ["HeraldCore", "HeraldTestSupport"], swiftSettings: strict),
        .testTarget(name: "HeraldTemplatesTests", dependencies: ["HeraldTemplates"], swiftSettings: strict),
        .testTarget(name: "HeraldJourneysTests", dependencies: ["HeraldJourneys", "HeraldTemplates"], swiftSettings: strict),
        .testTarget(name: "HeraldDeliveryTests", dependencies: ["HeraldDelivery", "HeraldTestSupport"], exclude: ["Peers"], swiftSettings: strict),
        // The fleet's handlers against in-memory stores: no Redis, no processes.
        .testTarget(name: "HeraldFleetTests", dependencies: ["HeraldFleet"], swiftSettings: strict),
        .testTarget(name: "HeraldIntegrationTests", dependencies: ["HeraldFleet", "HeraldTestSupport"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
