import FabricBase
import FabricDiagnostics
import FabricSyntax
import Foundation

// JSON form of the IR for `fabricc dump-ir`: stable (sorted keys), with
// addresses as text and origins as `file:line:col`.

extension CodingUserInfoKey {
    /// The ``SourceMap`` used to print origins.
    public static let fabricSources = CodingUserInfoKey(rawValue: "fabricSources")!
}

/// Values written in JSON as their text form (`10.0.0.1`, `10.0.0.0/24`).
protocol EncodesAsText: Encodable, CustomStringConvertible {}

extension EncodesAsText {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension IPAddress: EncodesAsText {}
extension IPPrefix: EncodesAsText {}
extension IPv4Address: EncodesAsText {}
extension MACAddress: EncodesAsText {}

extension Device: EncodesAsText {
    public var description: String { "\(kind) \(name)" }
}

extension Secret.Source: EncodesAsText {
    public var description: String {
        switch self {
        case .environment(let v): "env \(v)"
        case .file(let f): "file \(f)"
        }
    }
}

extension AddressRange: EncodesAsText {
    public var description: String { cidr.map(\.description) ?? "\(first)..\(last)" }
}

extension Origin: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        guard let sources = encoder.userInfo[.fabricSources] as? SourceMap else { return try c.encodeNil() }
        let loc = sources.location(of: span)
        try c.encode(
            "\(sources[span.file].displayPath):\(loc.line):\(loc.column)"
                + (loop.map { " (\($0.describe(sources)))" } ?? ""))
    }
}

/// The settings after defaults, as `dump-ir` has always shown them.
extension FabricSettings: Encodable {
    enum Keys: String, CodingKey {
        case name, asn, gateway, mtu, underlayMTU, antreaVersion, importLimit, holdTimeSeconds, keepaliveSeconds
        case gracefulRestart, password, ttlSecurity, bgpRoles, birdVersion, bfd
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(asn, forKey: .asn)
        try c.encodeIfPresent(gateway, forKey: .gateway)
        try c.encode(overlayMTU, forKey: .mtu)
        try c.encodeIfPresent(underlayMTU, forKey: .underlayMTU)
        try c.encode(antreaVersion, forKey: .antreaVersion)
        try c.encodeIfPresent(importLimit, forKey: .importLimit)
        try c.encodeIfPresent(holdTimeSeconds, forKey: .holdTimeSeconds)
        try c.encodeIfPresent(keepaliveSeconds, forKey: .keepaliveSeconds)
        try c.encodeIfPresent(gracefulRestart, forKey: .gracefulRestart)
        try c.encodeIfPresent(password, forKey: .password)
        try c.encode(ttlSecurity, forKey: .ttlSecurity)
        try c.encode(usesBGPRoles, forKey: .bgpRoles)
        try c.encodeIfPresent(birdVersion, forKey: .birdVersion)
        if bfd { try c.encode(bfd, forKey: .bfd) }
    }
}

extension BGPSession: Encodable {
    enum Keys: String, CodingKey { case role, a, aAddress, aAS, b, bAddress, bAS, type, password, bfd }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(role.rawValue, forKey: .role)
        try c.encode(a, forKey: .a)
        try c.encode(aAddress, forKey: .aAddress)
        try c.encode(aAS, forKey: .aAS)
        try c.encode(b, forKey: .b)
        try c.encode(bAddress, forKey: .bAddress)
        try c.encode(bAS, forKey: .bAS)
        try c.encode(type.rawValue, forKey: .type)
        try c.encodeIfPresent(password, forKey: .password)
        if bfd { try c.encode(bfd, forKey: .bfd) }
    }
}

extension FabricIR {
    /// Stable, pretty JSON with origins resolved through `sources`.
    public func json(sources: SourceMap) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.userInfo[.fabricSources] = sources
        // Every value encodes (strings, numbers, arrays): a failure is
        // fabricc's bug, never an empty model shown as if it were the intent's.
        let data: Data
        do { data = try encoder.encode(self) } catch {
            preconditionFailure("fabricc: the IR does not encode as JSON: \(error)")
        }
        // Foundation prints an empty array over three lines; make it `[]`.
        let text = String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: #"\[\n\s*\n\s*\]"#, with: "[]", options: .regularExpression)
        return text + "\n"
    }
}
