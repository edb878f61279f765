import * as $protobuf from "protobufjs";
import Long = require("long");

export namespace p2pnode {

    interface IEndpoint extends p2pnode.Endpoint.$Properties {
    }

    class Endpoint {
        constructor(p?: p2pnode.Endpoint.$Properties);
        $unknowns?: Uint8Array[];
        ip: Uint8Array;
        port: number;
        static create(properties: p2pnode.Endpoint.$Shape): p2pnode.Endpoint & p2pnode.Endpoint.$Shape;
        static create(properties?: p2pnode.Endpoint.$Properties): p2pnode.Endpoint;
        static encode(m: p2pnode.Endpoint.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static encodeDelimited(message: p2pnode.Endpoint.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): p2pnode.Endpoint & p2pnode.Endpoint.$Shape;
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): p2pnode.Endpoint & p2pnode.Endpoint.$Shape;
        static verify(m: { [k: string]: any }): (string|null);
        static fromObject(d: { [k: string]: any }): p2pnode.Endpoint;
        static toObject(m: p2pnode.Endpoint, o?: $protobuf.IConversionOptions): { [k: string]: any };
        toJSON(): { [k: string]: any };
        static getTypeUrl(prefix?: string): string;
    }

    namespace Endpoint {
        interface $Properties {
            ip?: (Uint8Array|null);
            port?: (number|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = p2pnode.Endpoint.$Properties;
    }

    enum MappingBehavior {
        MAPPING_UNKNOWN = 0,
        MAPPING_NONE = 1,
        MAPPING_PORT_PRESERVING = 2,
        MAPPING_ENDPOINT_INDEPENDENT = 3,
        MAPPING_SEQUENTIAL = 4,
        MAPPING_RANDOM = 5
    }

    interface INatProfile extends p2pnode.NatProfile.$Properties {
    }

    class NatProfile {
        constructor(p?: p2pnode.NatProfile.$Properties);
        $unknowns?: Uint8Array[];
        mapping: p2pnode.MappingBehavior;
        publicIp: Uint8Array;
        portPreserving: boolean;
        delta: number;
        portMapped: boolean;
        static create(properties: p2pnode.NatProfile.$Shape): p2pnode.NatProfile & p2pnode.NatProfile.$Shape;
        static create(properties?: p2pnode.NatProfile.$Properties): p2pnode.NatProfile;
        static encode(m: p2pnode.NatProfile.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static encodeDelimited(message: p2pnode.NatProfile.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): p2pnode.NatProfile & p2pnode.NatProfile.$Shape;
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): p2pnode.NatProfile & p2pnode.NatProfile.$Shape;
        static verify(m: { [k: string]: any }): (string|null);
        static fromObject(d: { [k: string]: any }): p2pnode.NatProfile;
        static toObject(m: p2pnode.NatProfile, o?: $protobuf.IConversionOptions): { [k: string]: any };
        toJSON(): { [k: string]: any };
        static getTypeUrl(prefix?: string): string;
    }

    namespace NatProfile {
        interface $Properties {
            mapping?: (p2pnode.MappingBehavior|null);
            publicIp?: (Uint8Array|null);
            portPreserving?: (boolean|null);
            delta?: (number|null);
            portMapped?: (boolean|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = p2pnode.NatProfile.$Properties;
    }

    interface IPeerRecord extends p2pnode.PeerRecord.$Properties {
    }

    class PeerRecord {
        constructor(p?: p2pnode.PeerRecord.$Properties);
        $unknowns?: Uint8Array[];
        publicKey: Uint8Array;
        publicEndpoints: p2pnode.Endpoint.$Properties[];
        lanEndpoints: p2pnode.Endpoint.$Properties[];
        nat?: (p2pnode.NatProfile.$Properties|null);
        introducers: p2pnode.Endpoint.$Properties[];
        issuedAt: number;
        lifetime: number;
        ipv6Endpoints: p2pnode.Endpoint.$Properties[];
        static create(properties: p2pnode.PeerRecord.$Shape): p2pnode.PeerRecord & p2pnode.PeerRecord.$Shape;
        static create(properties?: p2pnode.PeerRecord.$Properties): p2pnode.PeerRecord;
        static encode(m: p2pnode.PeerRecord.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static encodeDelimited(message: p2pnode.PeerRecord.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): p2pnode.PeerRecord & p2pnode.PeerRecord.$Shape;
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): p2pnode.PeerRecord & p2pnode.PeerRecord.$Shape;
        static verify(m: { [k: string]: any }): (string|null);
        static fromObject(d: { [k: string]: any }): p2pnode.PeerRecord;
        static toObject(m: p2pnode.PeerRecord, o?: $protobuf.IConversionOptions): { [k: string]: any };
        toJSON(): { [k: string]: any };
        static getTypeUrl(prefix?: string): string;
    }

    namespace PeerRecord {
        interface $Properties {
            publicKey?: (Uint8Array|null);
            publicEndpoints?: (p2pnode.Endpoint.$Properties[]|null);
            lanEndpoints?: (p2pnode.Endpoint.$Properties[]|null);
            nat?: (p2pnode.NatProfile.$Properties|null);
            introducers?: (p2pnode.Endpoint.$Properties[]|null);
            issuedAt?: (number|null);
            lifetime?: (number|null);
            ipv6Endpoints?: (p2pnode.Endpoint.$Properties[]|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = p2pnode.PeerRecord.$Properties;
    }

    interface IReflectorReply extends p2pnode.ReflectorReply.$Properties {
    }

    class ReflectorReply {
        constructor(p?: p2pnode.ReflectorReply.$Properties);
        $unknowns?: Uint8Array[];
        observed?: (p2pnode.Endpoint.$Properties|null);
        static create(properties: p2pnode.ReflectorReply.$Shape): p2pnode.ReflectorReply & p2pnode.ReflectorReply.$Shape;
        static create(properties?: p2pnode.ReflectorReply.$Properties): p2pnode.ReflectorReply;
        static encode(m: p2pnode.ReflectorReply.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static encodeDelimited(message: p2pnode.ReflectorReply.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): p2pnode.ReflectorReply & p2pnode.ReflectorReply.$Shape;
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): p2pnode.ReflectorReply & p2pnode.ReflectorReply.$Shape;
        static verify(m: { [k: string]: any }): (string|null);
        static fromObject(d: { [k: string]: any }): p2pnode.ReflectorReply;
        static toObject(m: p2pnode.ReflectorReply, o?: $protobuf.IConversionOptions): { [k: string]: any };
        toJSON(): { [k: string]: any };
        static getTypeUrl(prefix?: string): string;
    }

    namespace ReflectorReply {
        interface $Properties {
            observed?: (p2pnode.Endpoint.$Properties|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = p2pnode.ReflectorReply.$Properties;
    }

    interface IPunchOffer extends p2pnode.PunchOffer.$Properties {
    }

    class PunchOffer {
        constructor(p?: p2pnode.PunchOffer.$Properties);
        $unknowns?: Uint8Array[];
        publicEndpoints: p2pnode.Endpoint.$Properties[];
        lanEndpoints: p2pnode.Endpoint.$Properties[];
        nat?: (p2pnode.NatProfile.$Properties|null);
        localPort: number;
        rttMs: number;
        provisional: boolean;
        relays: p2pnode.Endpoint.$Properties[];
        relayUse: p2pnode.RelayUse;
        ipv6Endpoints: p2pnode.Endpoint.$Properties[];
        static create(properties: p2pnode.PunchOffer.$Shape): p2pnode.PunchOffer & p2pnode.PunchOffer.$Shape;
        static create(properties?: p2pnode.PunchOffer.$Properties): p2pnode.PunchOffer;
        static encode(m: p2pnode.PunchOffer.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static encodeDelimited(message: p2pnode.PunchOffer.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): p2pnode.PunchOffer & p2pnode.PunchOffer.$Shape;
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): p2pnode.PunchOffer & p2pnode.PunchOffer.$Shape;
        static verify(m: { [k: string]: any }): (string|null);
        static fromObject(d: { [k: string]: any }): p2pnode.PunchOffer;
        static toObject(m: p2pnode.PunchOffer, o?: $protobuf.IConversionOptions): { [k: string]: any };
        toJSON(): { [k: string]: any };
        static getTypeUrl(prefix?: string): string;
    }

    namespace PunchOffer {
        interface $Properties {
            publicEndpoints?: (p2pnode.Endpoint.$Properties[]|null);
            lanEndpoints?: (p2pnode.Endpoint.$Properties[]|null);
            nat?: (p2pnode.NatProfile.$Properties|null);
            localPort?: (number|null);
            rttMs?: (number|null);
            provisional?: (boolean|null);
            relays?: (p2pnode.Endpoint.$Properties[]|null);
            relayUse?: (p2pnode.RelayUse|null);
            ipv6Endpoints?: (p2pnode.Endpoint.$Properties[]|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = p2pnode.PunchOffer.$Properties;
    }

    enum RelayUse {
        RELAY_AUTO = 0,
        RELAY_NEVER = 1,
        RELAY_ONLY = 2
    }

    enum SignalKind {
        SIGNAL_UNKNOWN = 0,
        SIGNAL_REGISTER = 1,
        SIGNAL_REQUEST = 2,
        SIGNAL_ANSWER = 3
    }

    interface ISignalBody extends p2pnode.SignalBody.$Properties {
    }

    class SignalBody {
        constructor(p?: p2pnode.SignalBody.$Properties);
        $unknowns?: Uint8Array[];
        kind: p2pnode.SignalKind;
        senderKey: Uint8Array;
        targetKey: Uint8Array;
        nonce: Uint8Array;
        issuedAtMs: number;
        offer: Uint8Array;
        replyTo: Uint8Array;
        token: Uint8Array;
        session: Uint8Array;
        refused: boolean;
        static create(properties: p2pnode.SignalBody.$Shape): p2pnode.SignalBody & p2pnode.SignalBody.$Shape;
        static create(properties?: p2pnode.SignalBody.$Properties): p2pnode.SignalBody;
        static encode(m: p2pnode.SignalBody.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static encodeDelimited(message: p2pnode.SignalBody.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): p2pnode.SignalBody & p2pnode.SignalBody.$Shape;
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): p2pnode.SignalBody & p2pnode.SignalBody.$Shape;
        static verify(m: { [k: string]: any }): (string|null);
        static fromObject(d: { [k: string]: any }): p2pnode.SignalBody;
        static toObject(m: p2pnode.SignalBody, o?: $protobuf.IConversionOptions): { [k: string]: any };
        toJSON(): { [k: string]: any };
        static getTypeUrl(prefix?: string): string;
    }

    namespace SignalBody {
        interface $Properties {
            kind?: (p2pnode.SignalKind|null);
            senderKey?: (Uint8Array|null);
            targetKey?: (Uint8Array|null);
            nonce?: (Uint8Array|null);
            issuedAtMs?: (number|null);
            offer?: (Uint8Array|null);
            replyTo?: (Uint8Array|null);
            token?: (Uint8Array|null);
            session?: (Uint8Array|null);
            refused?: (boolean|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = p2pnode.SignalBody.$Properties;
    }

    interface ISignedSignal extends p2pnode.SignedSignal.$Properties {
    }

    class SignedSignal {
        constructor(p?: p2pnode.SignedSignal.$Properties);
        $unknowns?: Uint8Array[];
        body: Uint8Array;
        signature: Uint8Array;
        static create(properties: p2pnode.SignedSignal.$Shape): p2pnode.SignedSignal & p2pnode.SignedSignal.$Shape;
        static create(properties?: p2pnode.SignedSignal.$Properties): p2pnode.SignedSignal;
        static encode(m: p2pnode.SignedSignal.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static encodeDelimited(message: p2pnode.SignedSignal.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): p2pnode.SignedSignal & p2pnode.SignedSignal.$Shape;
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): p2pnode.SignedSignal & p2pnode.SignedSignal.$Shape;
        static verify(m: { [k: string]: any }): (string|null);
        static fromObject(d: { [k: string]: any }): p2pnode.SignedSignal;
        static toObject(m: p2pnode.SignedSignal, o?: $protobuf.IConversionOptions): { [k: string]: any };
        toJSON(): { [k: string]: any };
        static getTypeUrl(prefix?: string): string;
    }

    namespace SignedSignal {
        interface $Properties {
            body?: (Uint8Array|null);
            signature?: (Uint8Array|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = p2pnode.SignedSignal.$Properties;
    }

    interface IRelayHello extends p2pnode.RelayHello.$Properties {
    }

    class RelayHello {
        constructor(p?: p2pnode.RelayHello.$Properties);
        $unknowns?: Uint8Array[];
        token: Uint8Array;
        static create(properties: p2pnode.RelayHello.$Shape): p2pnode.RelayHello & p2pnode.RelayHello.$Shape;
        static create(properties?: p2pnode.RelayHello.$Properties): p2pnode.RelayHello;
        static encode(m: p2pnode.RelayHello.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static encodeDelimited(message: p2pnode.RelayHello.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): p2pnode.RelayHello & p2pnode.RelayHello.$Shape;
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): p2pnode.RelayHello & p2pnode.RelayHello.$Shape;
        static verify(m: { [k: string]: any }): (string|null);
        static fromObject(d: { [k: string]: any }): p2pnode.RelayHello;
        static toObject(m: p2pnode.RelayHello, o?: $protobuf.IConversionOptions): { [k: string]: any };
        toJSON(): { [k: string]: any };
        static getTypeUrl(prefix?: string): string;
    }

    namespace RelayHello {
        interface $Properties {
            token?: (Uint8Array|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = p2pnode.RelayHello.$Properties;
    }

    enum RelayStatus {
        RELAY_UNKNOWN = 0,
        RELAY_SPLICED = 1,
        RELAY_BUSY = 2,
        RELAY_REFUSED = 3
    }

    interface IRelayVerdict extends p2pnode.RelayVerdict.$Properties {
    }

    class RelayVerdict {
        constructor(p?: p2pnode.RelayVerdict.$Properties);
        $unknowns?: Uint8Array[];
        status: p2pnode.RelayStatus;
        reason: string;
        static create(properties: p2pnode.RelayVerdict.$Shape): p2pnode.RelayVerdict & p2pnode.RelayVerdict.$Shape;
        static create(properties?: p2pnode.RelayVerdict.$Properties): p2pnode.RelayVerdict;
        static encode(m: p2pnode.RelayVerdict.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static encodeDelimited(message: p2pnode.RelayVerdict.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): p2pnode.RelayVerdict & p2pnode.RelayVerdict.$Shape;
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): p2pnode.RelayVerdict & p2pnode.RelayVerdict.$Shape;
        static verify(m: { [k: string]: any }): (string|null);
        static fromObject(d: { [k: string]: any }): p2pnode.RelayVerdict;
        static toObject(m: p2pnode.RelayVerdict, o?: $protobuf.IConversionOptions): { [k: string]: any };
        toJSON(): { [k: string]: any };
        static getTypeUrl(prefix?: string): string;
    }

    namespace RelayVerdict {
        interface $Properties {
            status?: (p2pnode.RelayStatus|null);
            reason?: (string|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = p2pnode.RelayVerdict.$Properties;
    }
}
