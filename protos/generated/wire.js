/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError, $TypeError = $util.global.TypeError, $Number = $util.global.Number, $String = $util.global.String, $Array = $util.global.Array, $Boolean = $util.global.Boolean, $isFinite = $util.global.isFinite;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const p2pnode = $root.p2pnode = (() => {

    /**
     * Namespace p2pnode.
     * @exports p2pnode
     * @namespace
     */
    const p2pnode = {};

    p2pnode.Endpoint = (function() {

        /**
         * Properties of an Endpoint.
         * @typedef {Object} p2pnode.Endpoint.$Properties
         * @property {Uint8Array|null} [ip] Endpoint ip
         * @property {number|null} [port] Endpoint port
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of an Endpoint.
         * @memberof p2pnode
         * @interface IEndpoint
         * @augments p2pnode.Endpoint.$Properties
         * @deprecated Use p2pnode.Endpoint.$Properties instead.
         */

        /**
         * Shape of an Endpoint.
         * @typedef {p2pnode.Endpoint.$Properties} p2pnode.Endpoint.$Shape
         */

        /**
         * Constructs a new Endpoint.
         * @memberof p2pnode
         * @classdesc Represents an Endpoint.
         * @constructor
         * @param {p2pnode.Endpoint.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const Endpoint = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * Endpoint ip.
         * @member {Uint8Array} ip
         * @memberof p2pnode.Endpoint
         * @instance
         */
        Endpoint.prototype.ip = $util.newBuffer([]);

        /**
         * Endpoint port.
         * @member {number} port
         * @memberof p2pnode.Endpoint
         * @instance
         */
        Endpoint.prototype.port = 0;

        /**
         * Creates a new Endpoint instance using the specified properties.
         * @function create
         * @memberof p2pnode.Endpoint
         * @static
         * @param {p2pnode.Endpoint.$Properties=} [properties] Properties to set
         * @returns {p2pnode.Endpoint} Endpoint instance
         * @type {{
         *   (properties: p2pnode.Endpoint.$Shape): p2pnode.Endpoint & p2pnode.Endpoint.$Shape;
         *   (properties?: p2pnode.Endpoint.$Properties): p2pnode.Endpoint;
         * }}
         */
        Endpoint.create = function(properties) {
            return new Endpoint(properties);
        };

        /**
         * Encodes the specified Endpoint message. Does not implicitly {@link p2pnode.Endpoint.verify|verify} messages.
         * @function encode
         * @memberof p2pnode.Endpoint
         * @static
         * @param {p2pnode.Endpoint.$Properties} m Endpoint message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Endpoint.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.ip != null && $Object.hasOwnProperty.call(m, "ip") && m.ip.length)
                w.uint32(/* id 1, wireType 2 =*/10).bytes(m.ip);
            if (m.port != null && $Object.hasOwnProperty.call(m, "port") && m.port !== 0)
                w.uint32(/* id 2, wireType 0 =*/16).uint32(m.port);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Encodes the specified Endpoint message, length delimited. Does not implicitly {@link p2pnode.Endpoint.verify|verify} messages.
         * @function encodeDelimited
         * @memberof p2pnode.Endpoint
         * @static
         * @param {p2pnode.Endpoint.$Properties} message Endpoint message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Endpoint.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes an Endpoint message from the specified reader or buffer.
         * @function decode
         * @memberof p2pnode.Endpoint
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {p2pnode.Endpoint & p2pnode.Endpoint.$Shape} Endpoint
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Endpoint.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.p2pnode.Endpoint();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.ip = v;
                        else
                            delete m.ip;
                        continue;
                    }
                case 2: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.port = v;
                        else
                            delete m.port;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Decodes an Endpoint message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof p2pnode.Endpoint
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {p2pnode.Endpoint & p2pnode.Endpoint.$Shape} Endpoint
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Endpoint.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies an Endpoint message.
         * @function verify
         * @memberof p2pnode.Endpoint
         * @static
         * @param {Object.<string,*>} m Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        Endpoint.verify = function (m, q) {
            if (typeof m !== "object" || m === null)
                return "object expected";
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                return "max depth exceeded";
            if (m.ip != null && $Object.hasOwnProperty.call(m, "ip")) {
                if (!(m.ip && typeof m.ip.length === "number" || $util.isString(m.ip)))
                    return "ip: buffer expected";
            }
            if (m.port != null && $Object.hasOwnProperty.call(m, "port")) {
                if (!$util.isInteger(m.port))
                    return "port: integer expected";
            }
            return null;
        };

        /**
         * Creates an Endpoint message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof p2pnode.Endpoint
         * @static
         * @param {Object.<string,*>} d Plain object
         * @returns {p2pnode.Endpoint} Endpoint
         */
        Endpoint.fromObject = function (d, q) {
            if (d instanceof $root.p2pnode.Endpoint)
                return d;
            if (!$util.isObject(d))
                throw $TypeError(".p2pnode.Endpoint: object expected");
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            var m = new $root.p2pnode.Endpoint();
            if (d.ip != null) {
                if (d.ip.length) {
                    if (typeof d.ip === "string")
                        $util.base64.decode(d.ip, m.ip = $util.newBuffer($util.base64.length(d.ip)), 0);
                    else if (d.ip.length >= 0)
                        m.ip = d.ip;
                }
            }
            if (d.port != null) {
                if ($Number(d.port) !== 0) {
                    m.port = d.port >>> 0;
                }
            }
            return m;
        };

        /**
         * Creates a plain object from an Endpoint message. Also converts values to other types if specified.
         * @function toObject
         * @memberof p2pnode.Endpoint
         * @static
         * @param {p2pnode.Endpoint} m Endpoint
         * @param {$protobuf.IConversionOptions} [o] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        Endpoint.toObject = function (m, o, q) {
            if (!o)
                o = {};
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            var d = {};
            if (o.defaults) {
                if (o.bytes === $String)
                    d.ip = "";
                else {
                    d.ip = [];
                    if (o.bytes !== $Array)
                        d.ip = $util.newBuffer(d.ip);
                }
                d.port = 0;
            }
            if (m.ip != null && $Object.hasOwnProperty.call(m, "ip")) {
                d.ip = o.bytes === $String ? $util.base64.encode(m.ip, 0, m.ip.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.ip) : m.ip;
            }
            if (m.port != null && $Object.hasOwnProperty.call(m, "port")) {
                d.port = m.port;
            }
            return d;
        };

        /**
         * Converts this Endpoint to JSON.
         * @function toJSON
         * @memberof p2pnode.Endpoint
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        Endpoint.prototype.toJSON = function() {
            return Endpoint.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for Endpoint
         * @function getTypeUrl
         * @memberof p2pnode.Endpoint
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        Endpoint.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/p2pnode.Endpoint";
        };

        return Endpoint;
    })();

    /**
     * MappingBehavior enum.
     * @name p2pnode.MappingBehavior
     * @enum {number}
     * @property {number} MAPPING_UNKNOWN=0 MAPPING_UNKNOWN value
     * @property {number} MAPPING_NONE=1 MAPPING_NONE value
     * @property {number} MAPPING_PORT_PRESERVING=2 MAPPING_PORT_PRESERVING value
     * @property {number} MAPPING_ENDPOINT_INDEPENDENT=3 MAPPING_ENDPOINT_INDEPENDENT value
     * @property {number} MAPPING_SEQUENTIAL=4 MAPPING_SEQUENTIAL value
     * @property {number} MAPPING_RANDOM=5 MAPPING_RANDOM value
     */
    p2pnode.MappingBehavior = (function() {
        const valuesById = $Object.create(null), values = $Object.create(valuesById);
        values[valuesById[0] = "MAPPING_UNKNOWN"] = 0;
        values[valuesById[1] = "MAPPING_NONE"] = 1;
        values[valuesById[2] = "MAPPING_PORT_PRESERVING"] = 2;
        values[valuesById[3] = "MAPPING_ENDPOINT_INDEPENDENT"] = 3;
        values[valuesById[4] = "MAPPING_SEQUENTIAL"] = 4;
        values[valuesById[5] = "MAPPING_RANDOM"] = 5;
        return values;
    })();

    p2pnode.NatProfile = (function() {

        /**
         * Properties of a NatProfile.
         * @typedef {Object} p2pnode.NatProfile.$Properties
         * @property {p2pnode.MappingBehavior|null} [mapping] NatProfile mapping
         * @property {Uint8Array|null} [publicIp] NatProfile publicIp
         * @property {boolean|null} [portPreserving] NatProfile portPreserving
         * @property {number|null} [delta] NatProfile delta
         * @property {boolean|null} [portMapped] NatProfile portMapped
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a NatProfile.
         * @memberof p2pnode
         * @interface INatProfile
         * @augments p2pnode.NatProfile.$Properties
         * @deprecated Use p2pnode.NatProfile.$Properties instead.
         */

        /**
         * Shape of a NatProfile.
         * @typedef {p2pnode.NatProfile.$Properties} p2pnode.NatProfile.$Shape
         */

        /**
         * Constructs a new NatProfile.
         * @memberof p2pnode
         * @classdesc Represents a NatProfile.
         * @constructor
         * @param {p2pnode.NatProfile.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const NatProfile = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * NatProfile mapping.
         * @member {p2pnode.MappingBehavior} mapping
         * @memberof p2pnode.NatProfile
         * @instance
         */
        NatProfile.prototype.mapping = 0;

        /**
         * NatProfile publicIp.
         * @member {Uint8Array} publicIp
         * @memberof p2pnode.NatProfile
         * @instance
         */
        NatProfile.prototype.publicIp = $util.newBuffer([]);

        /**
         * NatProfile portPreserving.
         * @member {boolean} portPreserving
         * @memberof p2pnode.NatProfile
         * @instance
         */
        NatProfile.prototype.portPreserving = false;

        /**
         * NatProfile delta.
         * @member {number} delta
         * @memberof p2pnode.NatProfile
         * @instance
         */
        NatProfile.prototype.delta = 0;

        /**
         * NatProfile portMapped.
         * @member {boolean} portMapped
         * @memberof p2pnode.NatProfile
         * @instance
         */
        NatProfile.prototype.portMapped = false;

        /**
         * Creates a new NatProfile instance using the specified properties.
         * @function create
         * @memberof p2pnode.NatProfile
         * @static
         * @param {p2pnode.NatProfile.$Properties=} [properties] Properties to set
         * @returns {p2pnode.NatProfile} NatProfile instance
         * @type {{
         *   (properties: p2pnode.NatProfile.$Shape): p2pnode.NatProfile & p2pnode.NatProfile.$Shape;
         *   (properties?: p2pnode.NatProfile.$Properties): p2pnode.NatProfile;
         * }}
         */
        NatProfile.create = function(properties) {
            return new NatProfile(properties);
        };

        /**
         * Encodes the specified NatProfile message. Does not implicitly {@link p2pnode.NatProfile.verify|verify} messages.
         * @function encode
         * @memberof p2pnode.NatProfile
         * @static
         * @param {p2pnode.NatProfile.$Properties} m NatProfile message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        NatProfile.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.mapping != null && $Object.hasOwnProperty.call(m, "mapping") && m.mapping !== 0)
                w.uint32(/* id 1, wireType 0 =*/8).int32(m.mapping);
            if (m.publicIp != null && $Object.hasOwnProperty.call(m, "publicIp") && m.publicIp.length)
                w.uint32(/* id 2, wireType 2 =*/18).bytes(m.publicIp);
            if (m.portPreserving != null && $Object.hasOwnProperty.call(m, "portPreserving") && m.portPreserving !== false)
                w.uint32(/* id 3, wireType 0 =*/24).bool(m.portPreserving);
            if (m.delta != null && $Object.hasOwnProperty.call(m, "delta") && m.delta !== 0)
                w.uint32(/* id 4, wireType 0 =*/32).sint32(m.delta);
            if (m.portMapped != null && $Object.hasOwnProperty.call(m, "portMapped") && m.portMapped !== false)
                w.uint32(/* id 5, wireType 0 =*/40).bool(m.portMapped);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Encodes the specified NatProfile message, length delimited. Does not implicitly {@link p2pnode.NatProfile.verify|verify} messages.
         * @function encodeDelimited
         * @memberof p2pnode.NatProfile
         * @static
         * @param {p2pnode.NatProfile.$Properties} message NatProfile message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        NatProfile.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a NatProfile message from the specified reader or buffer.
         * @function decode
         * @memberof p2pnode.NatProfile
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {p2pnode.NatProfile & p2pnode.NatProfile.$Shape} NatProfile
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        NatProfile.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.p2pnode.NatProfile();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 0)
                            break;
                        if (v = r.int32())
                            m.mapping = v;
                        else
                            delete m.mapping;
                        continue;
                    }
                case 2: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.publicIp = v;
                        else
                            delete m.publicIp;
                        continue;
                    }
                case 3: {
                        if (u !== 0)
                            break;
                        if (v = r.bool())
                            m.portPreserving = v;
                        else
                            delete m.portPreserving;
                        continue;
                    }
                case 4: {
                        if (u !== 0)
                            break;
                        if (v = r.sint32())
                            m.delta = v;
                        else
                            delete m.delta;
                        continue;
                    }
                case 5: {
                        if (u !== 0)
                            break;
                        if (v = r.bool())
                            m.portMapped = v;
                        else
                            delete m.portMapped;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Decodes a NatProfile message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof p2pnode.NatProfile
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {p2pnode.NatProfile & p2pnode.NatProfile.$Shape} NatProfile
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        NatProfile.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a NatProfile message.
         * @function verify
         * @memberof p2pnode.NatProfile
         * @static
         * @param {Object.<string,*>} m Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        NatProfile.verify = function (m, q) {
            if (typeof m !== "object" || m === null)
                return "object expected";
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                return "max depth exceeded";
            if (m.mapping != null && $Object.hasOwnProperty.call(m, "mapping")) {
                if (typeof m.mapping !== "number" || (m.mapping | 0) !== m.mapping)
                    return "mapping: enum value expected";
            }
            if (m.publicIp != null && $Object.hasOwnProperty.call(m, "publicIp")) {
                if (!(m.publicIp && typeof m.publicIp.length === "number" || $util.isString(m.publicIp)))
                    return "publicIp: buffer expected";
            }
            if (m.portPreserving != null && $Object.hasOwnProperty.call(m, "portPreserving")) {
                if (typeof m.portPreserving !== "boolean")
                    return "portPreserving: boolean expected";
            }
            if (m.delta != null && $Object.hasOwnProperty.call(m, "delta")) {
                if (!$util.isInteger(m.delta))
                    return "delta: integer expected";
            }
            if (m.portMapped != null && $Object.hasOwnProperty.call(m, "portMapped")) {
                if (typeof m.portMapped !== "boolean")
                    return "portMapped: boolean expected";
            }
            return null;
        };

        /**
         * Creates a NatProfile message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof p2pnode.NatProfile
         * @static
         * @param {Object.<string,*>} d Plain object
         * @returns {p2pnode.NatProfile} NatProfile
         */
        NatProfile.fromObject = function (d, q) {
            if (d instanceof $root.p2pnode.NatProfile)
                return d;
            if (!$util.isObject(d))
                throw $TypeError(".p2pnode.NatProfile: object expected");
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            var m = new $root.p2pnode.NatProfile();
            if (d.mapping !== 0 && (typeof d.mapping !== "string" || $root.p2pnode.MappingBehavior[d.mapping] !== 0)) {
                switch (d.mapping) {
                case "MAPPING_UNKNOWN":
                case 0:
                    m.mapping = 0;
                    break;
                case "MAPPING_NONE":
                case 1:
                    m.mapping = 1;
                    break;
                case "MAPPING_PORT_PRESERVING":
                case 2:
                    m.mapping = 2;
                    break;
                case "MAPPING_ENDPOINT_INDEPENDENT":
                case 3:
                    m.mapping = 3;
                    break;
                case "MAPPING_SEQUENTIAL":
                case 4:
                    m.mapping = 4;
                    break;
                case "MAPPING_RANDOM":
                case 5:
                    m.mapping = 5;
                    break;
                default:
                    if (typeof d.mapping === "number" && (d.mapping | 0) === d.mapping)
                        m.mapping = d.mapping;
                }
            }
            if (d.publicIp != null) {
                if (d.publicIp.length) {
                    if (typeof d.publicIp === "string")
                        $util.base64.decode(d.publicIp, m.publicIp = $util.newBuffer($util.base64.length(d.publicIp)), 0);
                    else if (d.publicIp.length >= 0)
                        m.publicIp = d.publicIp;
                }
            }
            if (d.portPreserving != null) {
                if (d.portPreserving) {
                    m.portPreserving = $Boolean(d.portPreserving);
                }
            }
            if (d.delta != null) {
                if ($Number(d.delta) !== 0) {
                    m.delta = d.delta | 0;
                }
            }
            if (d.portMapped != null) {
                if (d.portMapped) {
                    m.portMapped = $Boolean(d.portMapped);
                }
            }
            return m;
        };

        /**
         * Creates a plain object from a NatProfile message. Also converts values to other types if specified.
         * @function toObject
         * @memberof p2pnode.NatProfile
         * @static
         * @param {p2pnode.NatProfile} m NatProfile
         * @param {$protobuf.IConversionOptions} [o] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        NatProfile.toObject = function (m, o, q) {
            if (!o)
                o = {};
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            var d = {};
            if (o.defaults) {
                d.mapping = o.enums === $String ? "MAPPING_UNKNOWN" : 0;
                if (o.bytes === $String)
                    d.publicIp = "";
                else {
                    d.publicIp = [];
                    if (o.bytes !== $Array)
                        d.publicIp = $util.newBuffer(d.publicIp);
                }
                d.portPreserving = false;
                d.delta = 0;
                d.portMapped = false;
            }
            if (m.mapping != null && $Object.hasOwnProperty.call(m, "mapping")) {
                d.mapping = o.enums === $String ? $root.p2pnode.MappingBehavior[m.mapping] === $undefined ? m.mapping : $root.p2pnode.MappingBehavior[m.mapping] : m.mapping;
            }
            if (m.publicIp != null && $Object.hasOwnProperty.call(m, "publicIp")) {
                d.publicIp = o.bytes === $String ? $util.base64.encode(m.publicIp, 0, m.publicIp.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.publicIp) : m.publicIp;
            }
            if (m.portPreserving != null && $Object.hasOwnProperty.call(m, "portPreserving")) {
                d.portPreserving = m.portPreserving;
            }
            if (m.delta != null && $Object.hasOwnProperty.call(m, "delta")) {
                d.delta = m.delta;
            }
            if (m.portMapped != null && $Object.hasOwnProperty.call(m, "portMapped")) {
                d.portMapped = m.portMapped;
            }
            return d;
        };

        /**
         * Converts this NatProfile to JSON.
         * @function toJSON
         * @memberof p2pnode.NatProfile
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        NatProfile.prototype.toJSON = function() {
            return NatProfile.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for NatProfile
         * @function getTypeUrl
         * @memberof p2pnode.NatProfile
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        NatProfile.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/p2pnode.NatProfile";
        };

        return NatProfile;
    })();

    p2pnode.PeerRecord = (function() {

        /**
         * Properties of a PeerRecord.
         * @typedef {Object} p2pnode.PeerRecord.$Properties
         * @property {Uint8Array|null} [publicKey] PeerRecord publicKey
         * @property {Array.<p2pnode.Endpoint.$Properties>|null} [publicEndpoints] PeerRecord publicEndpoints
         * @property {Array.<p2pnode.Endpoint.$Properties>|null} [lanEndpoints] PeerRecord lanEndpoints
         * @property {p2pnode.NatProfile.$Properties|null} [nat] PeerRecord nat
         * @property {Array.<p2pnode.Endpoint.$Properties>|null} [introducers] PeerRecord introducers
         * @property {number|null} [issuedAt] PeerRecord issuedAt
         * @property {number|null} [lifetime] PeerRecord lifetime
         * @property {Array.<p2pnode.Endpoint.$Properties>|null} [ipv6Endpoints] PeerRecord ipv6Endpoints
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a PeerRecord.
         * @memberof p2pnode
         * @interface IPeerRecord
         * @augments p2pnode.PeerRecord.$Properties
         * @deprecated Use p2pnode.PeerRecord.$Properties instead.
         */

        /**
         * Shape of a PeerRecord.
         * @typedef {p2pnode.PeerRecord.$Properties} p2pnode.PeerRecord.$Shape
         */

        /**
         * Constructs a new PeerRecord.
         * @memberof p2pnode
         * @classdesc Represents a PeerRecord.
         * @constructor
         * @param {p2pnode.PeerRecord.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const PeerRecord = function (p) {
            this.publicEndpoints = [];
            this.lanEndpoints = [];
            this.introducers = [];
            this.ipv6Endpoints = [];
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * PeerRecord publicKey.
         * @member {Uint8Array} publicKey
         * @memberof p2pnode.PeerRecord
         * @instance
         */
        PeerRecord.prototype.publicKey = $util.newBuffer([]);

        /**
         * PeerRecord publicEndpoints.
         * @member {Array.<p2pnode.Endpoint.$Properties>} publicEndpoints
         * @memberof p2pnode.PeerRecord
         * @instance
         */
        PeerRecord.prototype.publicEndpoints = $util.emptyArray;

        /**
         * PeerRecord lanEndpoints.
         * @member {Array.<p2pnode.Endpoint.$Properties>} lanEndpoints
         * @memberof p2pnode.PeerRecord
         * @instance
         */
        PeerRecord.prototype.lanEndpoints = $util.emptyArray;

        /**
         * PeerRecord nat.
         * @member {p2pnode.NatProfile.$Properties|null|undefined} nat
         * @memberof p2pnode.PeerRecord
         * @instance
         */
        PeerRecord.prototype.nat = null;

        /**
         * PeerRecord introducers.
         * @member {Array.<p2pnode.Endpoint.$Properties>} introducers
         * @memberof p2pnode.PeerRecord
         * @instance
         */
        PeerRecord.prototype.introducers = $util.emptyArray;

        /**
         * PeerRecord issuedAt.
         * @member {number} issuedAt
         * @memberof p2pnode.PeerRecord
         * @instance
         */
        PeerRecord.prototype.issuedAt = 0;

        /**
         * PeerRecord lifetime.
         * @member {number} lifetime
         * @memberof p2pnode.PeerRecord
         * @instance
         */
        PeerRecord.prototype.lifetime = 0;

        /**
         * PeerRecord ipv6Endpoints.
         * @member {Array.<p2pnode.Endpoint.$Properties>} ipv6Endpoints
         * @memberof p2pnode.PeerRecord
         * @instance
         */
        PeerRecord.prototype.ipv6Endpoints = $util.emptyArray;

        /**
         * Creates a new PeerRecord instance using the specified properties.
         * @function create
         * @memberof p2pnode.PeerRecord
         * @static
         * @param {p2pnode.PeerRecord.$Properties=} [properties] Properties to set
         * @returns {p2pnode.PeerRecord} PeerRecord instance
         * @type {{
         *   (properties: p2pnode.PeerRecord.$Shape): p2pnode.PeerRecord & p2pnode.PeerRecord.$Shape;
         *   (properties?: p2pnode.PeerRecord.$Properties): p2pnode.PeerRecord;
         * }}
         */
        PeerRecord.create = function(properties) {
            return new PeerRecord(properties);
        };

        /**
         * Encodes the specified PeerRecord message. Does not implicitly {@link p2pnode.PeerRecord.verify|verify} messages.
         * @function encode
         * @memberof p2pnode.PeerRecord
         * @static
         * @param {p2pnode.PeerRecord.$Properties} m PeerRecord message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        PeerRecord.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.publicKey != null && $Object.hasOwnProperty.call(m, "publicKey") && m.publicKey.length)
                w.uint32(/* id 1, wireType 2 =*/10).bytes(m.publicKey);
            if (m.publicEndpoints != null && m.publicEndpoints.length) {
                for (var i = 0; i < m.publicEndpoints.length; ++i)
                    $root.p2pnode.Endpoint.encode(m.publicEndpoints[i], w.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
            }
            if (m.lanEndpoints != null && m.lanEndpoints.length) {
                for (var i = 0; i < m.lanEndpoints.length; ++i)
                    $root.p2pnode.Endpoint.encode(m.lanEndpoints[i], w.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
            }
            if (m.nat != null && $Object.hasOwnProperty.call(m, "nat"))
                $root.p2pnode.NatProfile.encode(m.nat, w.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
            if (m.introducers != null && m.introducers.length) {
                for (var i = 0; i < m.introducers.length; ++i)
                    $root.p2pnode.Endpoint.encode(m.introducers[i], w.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
            }
            if (m.issuedAt != null && $Object.hasOwnProperty.call(m, "issuedAt") && m.issuedAt !== 0)
                w.uint32(/* id 6, wireType 0 =*/48).uint32(m.issuedAt);
            if (m.lifetime != null && $Object.hasOwnProperty.call(m, "lifetime") && m.lifetime !== 0)
                w.uint32(/* id 7, wireType 0 =*/56).uint32(m.lifetime);
            if (m.ipv6Endpoints != null && m.ipv6Endpoints.length) {
                for (var i = 0; i < m.ipv6Endpoints.length; ++i)
                    $root.p2pnode.Endpoint.encode(m.ipv6Endpoints[i], w.uint32(/* id 8, wireType 2 =*/66).fork(), q + 1).ldelim();
            }
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Encodes the specified PeerRecord message, length delimited. Does not implicitly {@link p2pnode.PeerRecord.verify|verify} messages.
         * @function encodeDelimited
         * @memberof p2pnode.PeerRecord
         * @static
         * @param {p2pnode.PeerRecord.$Properties} message PeerRecord message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        PeerRecord.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a PeerRecord message from the specified reader or buffer.
         * @function decode
         * @memberof p2pnode.PeerRecord
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {p2pnode.PeerRecord & p2pnode.PeerRecord.$Shape} PeerRecord
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        PeerRecord.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.p2pnode.PeerRecord();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.publicKey = v;
                        else
                            delete m.publicKey;
                        continue;
                    }
                case 2: {
                        if (u !== 2)
                            break;
                        if (!(m.publicEndpoints && m.publicEndpoints.length))
                            m.publicEndpoints = [];
                        m.publicEndpoints.push($root.p2pnode.Endpoint.decode(r, r.size(), $undefined, q + 1));
                        continue;
                    }
                case 3: {
                        if (u !== 2)
                            break;
                        if (!(m.lanEndpoints && m.lanEndpoints.length))
                            m.lanEndpoints = [];
                        m.lanEndpoints.push($root.p2pnode.Endpoint.decode(r, r.size(), $undefined, q + 1));
                        continue;
                    }
                case 4: {
                        if (u !== 2)
                            break;
                        m.nat = $root.p2pnode.NatProfile.decode(r, r.size(), $undefined, q + 1, m.nat);
                        continue;
                    }
                case 5: {
                        if (u !== 2)
                            break;
                        if (!(m.introducers && m.introducers.length))
                            m.introducers = [];
                        m.introducers.push($root.p2pnode.Endpoint.decode(r, r.size(), $undefined, q + 1));
                        continue;
                    }
                case 6: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.issuedAt = v;
                        else
                            delete m.issuedAt;
                        continue;
                    }
                case 7: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.lifetime = v;
                        else
                            delete m.lifetime;
                        continue;
                    }
                case 8: {
                        if (u !== 2)
                            break;
                        if (!(m.ipv6Endpoints && m.ipv6Endpoints.length))
                            m.ipv6Endpoints = [];
                        m.ipv6Endpoints.push($root.p2pnode.Endpoint.decode(r, r.size(), $undefined, q + 1));
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Decodes a PeerRecord message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof p2pnode.PeerRecord
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {p2pnode.PeerRecord & p2pnode.PeerRecord.$Shape} PeerRecord
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        PeerRecord.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a PeerRecord message.
         * @function verify
         * @memberof p2pnode.PeerRecord
         * @static
         * @param {Object.<string,*>} m Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        PeerRecord.verify = function (m, q) {
            if (typeof m !== "object" || m === null)
                return "object expected";
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                return "max depth exceeded";
            if (m.publicKey != null && $Object.hasOwnProperty.call(m, "publicKey")) {
                if (!(m.publicKey && typeof m.publicKey.length === "number" || $util.isString(m.publicKey)))
                    return "publicKey: buffer expected";
            }
            if (m.publicEndpoints != null && $Object.hasOwnProperty.call(m, "publicEndpoints")) {
                if (!$Array.isArray(m.publicEndpoints))
                    return "publicEndpoints: array expected";
                for (var i = 0; i < m.publicEndpoints.length; ++i) {
                    {
                        var e = $root.p2pnode.Endpoint.verify(m.publicEndpoints[i], q + 1);
                        if (e)
                            return "publicEndpoints." + e;
                    }
                }
            }
            if (m.lanEndpoints != null && $Object.hasOwnProperty.call(m, "lanEndpoints")) {
                if (!$Array.isArray(m.lanEndpoints))
                    return "lanEndpoints: array expected";
                for (var i = 0; i < m.lanEndpoints.length; ++i) {
                    {
                        var e = $root.p2pnode.Endpoint.verify(m.lanEndpoints[i], q + 1);
                        if (e)
                            return "lanEndpoints." + e;
                    }
                }
            }
            if (m.nat != null && $Object.hasOwnProperty.call(m, "nat")) {
                {
                    var e = $root.p2pnode.NatProfile.verify(m.nat, q + 1);
                    if (e)
                        return "nat." + e;
                }
            }
            if (m.introducers != null && $Object.hasOwnProperty.call(m, "introducers")) {
                if (!$Array.isArray(m.introducers))
                    return "introducers: array expected";
                for (var i = 0; i < m.introducers.length; ++i) {
                    {
                        var e = $root.p2pnode.Endpoint.verify(m.introducers[i], q + 1);
                        if (e)
                            return "introducers." + e;
                    }
                }
            }
            if (m.issuedAt != null && $Object.hasOwnProperty.call(m, "issuedAt")) {
                if (!$util.isInteger(m.issuedAt))
                    return "issuedAt: integer expected";
            }
            if (m.lifetime != null && $Object.hasOwnProperty.call(m, "lifetime")) {
                if (!$util.isInteger(m.lifetime))
                    return "lifetime: integer expected";
            }
            if (m.ipv6Endpoints != null && $Object.hasOwnProperty.call(m, "ipv6Endpoints")) {
                if (!$Array.isArray(m.ipv6Endpoints))
                    return "ipv6Endpoints: array expected";
                for (var i = 0; i < m.ipv6Endpoints.length; ++i) {
                    {
                        var e = $root.p2pnode.Endpoint.verify(m.ipv6Endpoints[i], q + 1);
                        if (e)
                            return "ipv6Endpoints." + e;
                    }
                }
            }
            return null;
        };

        /**
         * Creates a PeerRecord message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof p2pnode.PeerRecord
         * @static
         * @param {Object.<string,*>} d Plain object
         * @returns {p2pnode.PeerRecord} PeerRecord
         */
        PeerRecord.fromObject = function (d, q) {
            if (d instanceof $root.p2pnode.PeerRecord)
                return d;
            if (!$util.isObject(d))
                throw $TypeError(".p2pnode.PeerRecord: object expected");
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            var m = new $root.p2pnode.PeerRecord();
            if (d.publicKey != null) {
                if (d.publicKey.length) {
                    if (typeof d.publicKey === "string")
                        $util.base64.decode(d.publicKey, m.publicKey = $util.newBuffer($util.base64.length(d.publicKey)), 0);
                    else if (d.publicKey.length >= 0)
                        m.publicKey = d.publicKey;
                }
            }
            if (d.publicEndpoints) {
                if (!$Array.isArray(d.publicEndpoints))
                    throw $TypeError(".p2pnode.PeerRecord.publicEndpoints: array expected");
                m.publicEndpoints = $Array(d.publicEndpoints.length);
                for (var i = 0; i < d.publicEndpoints.length; ++i) {
                    if (!$util.isObject(d.publicEndpoints[i]))
                        throw $TypeError(".p2pnode.PeerRecord.publicEndpoints: object expected");
                    m.publicEndpoints[i] = $root.p2pnode.Endpoint.fromObject(d.publicEndpoints[i], q + 1);
                }
            }
            if (d.lanEndpoints) {
                if (!$Array.isArray(d.lanEndpoints))
                    throw $TypeError(".p2pnode.PeerRecord.lanEndpoints: array expected");
                m.lanEndpoints = $Array(d.lanEndpoints.length);
                for (var i = 0; i < d.lanEndpoints.length; ++i) {
                    if (!$util.isObject(d.lanEndpoints[i]))
                        throw $TypeError(".p2pnode.PeerRecord.lanEndpoints: object expected");
                    m.lanEndpoints[i] = $root.p2pnode.Endpoint.fromObject(d.lanEndpoints[i], q + 1);
                }
            }
            if (d.nat != null) {
                if (!$util.isObject(d.nat))
                    throw $TypeError(".p2pnode.PeerRecord.nat: object expected");
                m.nat = $root.p2pnode.NatProfile.fromObject(d.nat, q + 1);
            }
            if (d.introducers) {
                if (!$Array.isArray(d.introducers))
                    throw $TypeError(".p2pnode.PeerRecord.introducers: array expected");
                m.introducers = $Array(d.introducers.length);
                for (var i = 0; i < d.introducers.length; ++i) {
                    if (!$util.isObject(d.introducers[i]))
                        throw $TypeError(".p2pnode.PeerRecord.introducers: object expected");
                    m.introducers[i] = $root.p2pnode.Endpoint.fromObject(d.introducers[i], q + 1);
                }
            }
            if (d.issuedAt != null) {
                if ($Number(d.issuedAt) !== 0) {
                    m.issuedAt = d.issuedAt >>> 0;
                }
            }
            if (d.lifetime != null) {
                if ($Number(d.lifetime) !== 0) {
                    m.lifetime = d.lifetime >>> 0;
                }
            }
            if (d.ipv6Endpoints) {
                if (!$Array.isArray(d.ipv6Endpoints))
                    throw $TypeError(".p2pnode.PeerRecord.ipv6Endpoints: array expected");
                m.ipv6Endpoints = $Array(d.ipv6Endpoints.length);
                for (var i = 0; i < d.ipv6Endpoints.length; ++i) {
                    if (!$util.isObject(d.ipv6Endpoints[i]))
                        throw $TypeError(".p2pnode.PeerRecord.ipv6Endpoints: object expected");
                    m.ipv6Endpoints[i] = $root.p2pnode.Endpoint.fromObject(d.ipv6Endpoints[i], q + 1);
                }
            }
            return m;
        };

        /**
         * Creates a plain object from a PeerRecord message. Also converts values to other types if specified.
         * @function toObject
         * @memberof p2pnode.PeerRecord
         * @static
         * @param {p2pnode.PeerRecord} m PeerRecord
         * @param {$protobuf.IConversionOptions} [o] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        PeerRecord.toObject = function (m, o, q) {
            if (!o)
                o = {};
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            var d = {};
            if (o.arrays || o.defaults) {
                d.publicEndpoints = [];
                d.lanEndpoints = [];
                d.introducers = [];
                d.ipv6Endpoints = [];
            }
            if (o.defaults) {
                if (o.bytes === $String)
                    d.publicKey = "";
                else {
                    d.publicKey = [];
                    if (o.bytes !== $Array)
                        d.publicKey = $util.newBuffer(d.publicKey);
                }
                d.nat = null;
                d.issuedAt = 0;
                d.lifetime = 0;
            }
            if (m.publicKey != null && $Object.hasOwnProperty.call(m, "publicKey")) {
                d.publicKey = o.bytes === $String ? $util.base64.encode(m.publicKey, 0, m.publicKey.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.publicKey) : m.publicKey;
            }
            if (m.publicEndpoints && m.publicEndpoints.length) {
                d.publicEndpoints = $Array(m.publicEndpoints.length);
                for (var j = 0; j < m.publicEndpoints.length; ++j) {
                    d.publicEndpoints[j] = $root.p2pnode.Endpoint.toObject(m.publicEndpoints[j], o, q + 1);
                }
            }
            if (m.lanEndpoints && m.lanEndpoints.length) {
                d.lanEndpoints = $Array(m.lanEndpoints.length);
                for (var j = 0; j < m.lanEndpoints.length; ++j) {
                    d.lanEndpoints[j] = $root.p2pnode.Endpoint.toObject(m.lanEndpoints[j], o, q + 1);
                }
            }
            if (m.nat != null && $Object.hasOwnProperty.call(m, "nat")) {
                d.nat = $root.p2pnode.NatProfile.toObject(m.nat, o, q + 1);
            }
            if (m.introducers && m.introducers.length) {
                d.introducers = $Array(m.introducers.length);
                for (var j = 0; j < m.introducers.length; ++j) {
                    d.introducers[j] = $root.p2pnode.Endpoint.toObject(m.introducers[j], o, q + 1);
                }
            }
            if (m.issuedAt != null && $Object.hasOwnProperty.call(m, "issuedAt")) {
                d.issuedAt = m.issuedAt;
            }
            if (m.lifetime != null && $Object.hasOwnProperty.call(m, "lifetime")) {
                d.lifetime = m.lifetime;
            }
            if (m.ipv6Endpoints && m.ipv6Endpoints.length) {
                d.ipv6Endpoints = $Array(m.ipv6Endpoints.length);
                for (var j = 0; j < m.ipv6Endpoints.length; ++j) {
                    d.ipv6Endpoints[j] = $root.p2pnode.Endpoint.toObject(m.ipv6Endpoints[j], o, q + 1);
                }
            }
            return d;
        };

        /**
         * Converts this PeerRecord to JSON.
         * @function toJSON
         * @memberof p2pnode.PeerRecord
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        PeerRecord.prototype.toJSON = function() {
            return PeerRecord.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for PeerRecord
         * @function getTypeUrl
         * @memberof p2pnode.PeerRecord
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        PeerRecord.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/p2pnode.PeerRecord";
        };

        return PeerRecord;
    })();

    p2pnode.ReflectorReply = (function() {

        /**
         * Properties of a ReflectorReply.
         * @typedef {Object} p2pnode.ReflectorReply.$Properties
         * @property {p2pnode.Endpoint.$Properties|null} [observed] ReflectorReply observed
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a ReflectorReply.
         * @memberof p2pnode
         * @interface IReflectorReply
         * @augments p2pnode.ReflectorReply.$Properties
         * @deprecated Use p2pnode.ReflectorReply.$Properties instead.
         */

        /**
         * Shape of a ReflectorReply.
         * @typedef {p2pnode.ReflectorReply.$Properties} p2pnode.ReflectorReply.$Shape
         */

        /**
         * Constructs a new ReflectorReply.
         * @memberof p2pnode
         * @classdesc Represents a ReflectorReply.
         * @constructor
         * @param {p2pnode.ReflectorReply.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const ReflectorReply = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * ReflectorReply observed.
         * @member {p2pnode.Endpoint.$Properties|null|undefined} observed
         * @memberof p2pnode.ReflectorReply
         * @instance
         */
        ReflectorReply.prototype.observed = null;

        /**
         * Creates a new ReflectorReply instance using the specified properties.
         * @function create
         * @memberof p2pnode.ReflectorReply
         * @static
         * @param {p2pnode.ReflectorReply.$Properties=} [properties] Properties to set
         * @returns {p2pnode.ReflectorReply} ReflectorReply instance
         * @type {{
         *   (properties: p2pnode.ReflectorReply.$Shape): p2pnode.ReflectorReply & p2pnode.ReflectorReply.$Shape;
         *   (properties?: p2pnode.ReflectorReply.$Properties): p2pnode.ReflectorReply;
         * }}
         */
        ReflectorReply.create = function(properties) {
            return new ReflectorReply(properties);
        };

        /**
         * Encodes the specified ReflectorReply message. Does not implicitly {@link p2pnode.ReflectorReply.verify|verify} messages.
         * @function encode
         * @memberof p2pnode.ReflectorReply
         * @static
         * @param {p2pnode.ReflectorReply.$Properties} m ReflectorReply message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        ReflectorReply.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.observed != null && $Object.hasOwnProperty.call(m, "observed"))
                $root.p2pnode.Endpoint.encode(m.observed, w.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Encodes the specified ReflectorReply message, length delimited. Does not implicitly {@link p2pnode.ReflectorReply.verify|verify} messages.
         * @function encodeDelimited
         * @memberof p2pnode.ReflectorReply
         * @static
         * @param {p2pnode.ReflectorReply.$Properties} message ReflectorReply message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        ReflectorReply.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a ReflectorReply message from the specified reader or buffer.
         * @function decode
         * @memberof p2pnode.ReflectorReply
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {p2pnode.ReflectorReply & p2pnode.ReflectorReply.$Shape} ReflectorReply
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        ReflectorReply.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.p2pnode.ReflectorReply();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 2)
                            break;
                        m.observed = $root.p2pnode.Endpoint.decode(r, r.size(), $undefined, q + 1, m.observed);
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Decodes a ReflectorReply message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof p2pnode.ReflectorReply
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {p2pnode.ReflectorReply & p2pnode.ReflectorReply.$Shape} ReflectorReply
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        ReflectorReply.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a ReflectorReply message.
         * @function verify
         * @memberof p2pnode.ReflectorReply
         * @static
         * @param {Object.<string,*>} m Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        ReflectorReply.verify = function (m, q) {
            if (typeof m !== "object" || m === null)
                return "object expected";
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                return "max depth exceeded";
            if (m.observed != null && $Object.hasOwnProperty.call(m, "observed")) {
                {
                    var e = $root.p2pnode.Endpoint.verify(m.observed, q + 1);
                    if (e)
                        return "observed." + e;
                }
            }
            return null;
        };

        /**
         * Creates a ReflectorReply message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof p2pnode.ReflectorReply
         * @static
         * @param {Object.<string,*>} d Plain object
         * @returns {p2pnode.ReflectorReply} ReflectorReply
         */
        ReflectorReply.fromObject = function (d, q) {
            if (d instanceof $root.p2pnode.ReflectorReply)
                return d;
            if (!$util.isObject(d))
                throw $TypeError(".p2pnode.ReflectorReply: object expected");
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            var m = new $root.p2pnode.ReflectorReply();
            if (d.observed != null) {
                if (!$util.isObject(d.observed))
                    throw $TypeError(".p2pnode.ReflectorReply.observed: object expected");
                m.observed = $root.p2pnode.Endpoint.fromObject(d.observed, q + 1);
            }
            return m;
        };

        /**
         * Creates a plain object from a ReflectorReply message. Also converts values to other types if specified.
         * @function toObject
         * @memberof p2pnode.ReflectorReply
         * @static
         * @param {p2pnode.ReflectorReply} m ReflectorReply
         * @param {$protobuf.IConversionOptions} [o] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        ReflectorReply.toObject = function (m, o, q) {
            if (!o)
                o = {};
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            var d = {};
            if (o.defaults) {
                d.observed = null;
            }
            if (m.observed != null && $Object.hasOwnProperty.call(m, "observed")) {
                d.observed = $root.p2pnode.Endpoint.toObject(m.observed, o, q + 1);
            }
            return d;
        };

        /**
         * Converts this ReflectorReply to JSON.
         * @function toJSON
         * @memberof p2pnode.ReflectorReply
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        ReflectorReply.prototype.toJSON = function() {
            return ReflectorReply.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for ReflectorReply
         * @function getTypeUrl
         * @memberof p2pnode.ReflectorReply
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        ReflectorReply.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/p2pnode.ReflectorReply";
        };

        return ReflectorReply;
    })();

    p2pnode.PunchOffer = (function() {

        /**
         * Properties of a PunchOffer.
         * @typedef {Object} p2pnode.PunchOffer.$Properties
         * @property {Array.<p2pnode.Endpoint.$Properties>|null} [publicEndpoints] PunchOffer publicEndpoints
         * @property {Array.<p2pnode.Endpoint.$Properties>|null} [lanEndpoints] PunchOffer lanEndpoints
         * @property {p2pnode.NatProfile.$Properties|null} [nat] PunchOffer nat
         * @property {number|null} [localPort] PunchOffer localPort
         * @property {number|null} [rttMs] PunchOffer rttMs
         * @property {boolean|null} [provisional] PunchOffer provisional
         * @property {Array.<p2pnode.Endpoint.$Properties>|null} [relays] PunchOffer relays
         * @property {p2pnode.RelayUse|null} [relayUse] PunchOffer relayUse
         * @property {Array.<p2pnode.Endpoint.$Properties>|null} [ipv6Endpoints] PunchOffer ipv6Endpoints
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a PunchOffer.
         * @memberof p2pnode
         * @interface IPunchOffer
         * @augments p2pnode.PunchOffer.$Properties
         * @deprecated Use p2pnode.PunchOffer.$Properties instead.
         */

        /**
         * Shape of a PunchOffer.
         * @typedef {p2pnode.PunchOffer.$Properties} p2pnode.PunchOffer.$Shape
         */

        /**
         * Constructs a new PunchOffer.
         * @memberof p2pnode
         * @classdesc Represents a PunchOffer.
         * @constructor
         * @param {p2pnode.PunchOffer.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const PunchOffer = function (p) {
            this.publicEndpoints = [];
            this.lanEndpoints = [];
            this.relays = [];
            this.ipv6Endpoints = [];
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * PunchOffer publicEndpoints.
         * @member {Array.<p2pnode.Endpoint.$Properties>} publicEndpoints
         * @memberof p2pnode.PunchOffer
         * @instance
         */
        PunchOffer.prototype.publicEndpoints = $util.emptyArray;

        /**
         * PunchOffer lanEndpoints.
         * @member {Array.<p2pnode.Endpoint.$Properties>} lanEndpoints
         * @memberof p2pnode.PunchOffer
         * @instance
         */
        PunchOffer.prototype.lanEndpoints = $util.emptyArray;

        /**
         * PunchOffer nat.
         * @member {p2pnode.NatProfile.$Properties|null|undefined} nat
         * @memberof p2pnode.PunchOffer
         * @instance
         */
        PunchOffer.prototype.nat = null;

        /**
         * PunchOffer localPort.
         * @member {number} localPort
         * @memberof p2pnode.PunchOffer
         * @instance
         */
        PunchOffer.prototype.localPort = 0;

        /**
         * PunchOffer rttMs.
         * @member {number} rttMs
         * @memberof p2pnode.PunchOffer
         * @instance
         */
        PunchOffer.prototype.rttMs = 0;

        /**
         * PunchOffer provisional.
         * @member {boolean} provisional
         * @memberof p2pnode.PunchOffer
         * @instance
         */
        PunchOffer.prototype.provisional = false;

        /**
         * PunchOffer relays.
         * @member {Array.<p2pnode.Endpoint.$Properties>} relays
         * @memberof p2pnode.PunchOffer
         * @instance
         */
        PunchOffer.prototype.relays = $util.emptyArray;

        /**
         * PunchOffer relayUse.
         * @member {p2pnode.RelayUse} relayUse
         * @memberof p2pnode.PunchOffer
         * @instance
         */
        PunchOffer.prototype.relayUse = 0;

        /**
         * PunchOffer ipv6Endpoints.
         * @member {Array.<p2pnode.Endpoint.$Properties>} ipv6Endpoints
         * @memberof p2pnode.PunchOffer
         * @instance
         */
        PunchOffer.prototype.ipv6Endpoints = $util.emptyArray;

        /**
         * Creates a new PunchOffer instance using the specified properties.
         * @function create
         * @memberof p2pnode.PunchOffer
         * @static
         * @param {p2pnode.PunchOffer.$Properties=} [properties] Properties to set
         * @returns {p2pnode.PunchOffer} PunchOffer instance
         * @type {{
         *   (properties: p2pnode.PunchOffer.$Shape): p2pnode.PunchOffer & p2pnode.PunchOffer.$Shape;
         *   (properties?: p2pnode.PunchOffer.$Properties): p2pnode.PunchOffer;
         * }}
         */
        PunchOffer.create = function(properties) {
            return new PunchOffer(properties);
        };

        /**
         * Encodes the specified PunchOffer message. Does not implicitly {@link p2pnode.PunchOffer.verify|verify} messages.
         * @function encode
         * @memberof p2pnode.PunchOffer
         * @static
         * @param {p2pnode.PunchOffer.$Properties} m PunchOffer message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        PunchOffer.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.publicEndpoints != null && m.publicEndpoints.length) {
                for (var i = 0; i < m.publicEndpoints.length; ++i)
                    $root.p2pnode.Endpoint.encode(m.publicEndpoints[i], w.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
            }
            if (m.lanEndpoints != null && m.lanEndpoints.length) {
                for (var i = 0; i < m.lanEndpoints.length; ++i)
                    $root.p2pnode.Endpoint.encode(m.lanEndpoints[i], w.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
            }
            if (m.nat != null && $Object.hasOwnProperty.call(m, "nat"))
                $root.p2pnode.NatProfile.encode(m.nat, w.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
            if (m.localPort != null && $Object.hasOwnProperty.call(m, "localPort") && m.localPort !== 0)
                w.uint32(/* id 4, wireType 0 =*/32).uint32(m.localPort);
            if (m.rttMs != null && $Object.hasOwnProperty.call(m, "rttMs") && m.rttMs !== 0)
                w.uint32(/* id 5, wireType 0 =*/40).uint32(m.rttMs);
            if (m.provisional != null && $Object.hasOwnProperty.call(m, "provisional") && m.provisional !== false)
                w.uint32(/* id 6, wireType 0 =*/48).bool(m.provisional);
            if (m.relays != null && m.relays.length) {
                for (var i = 0; i < m.relays.length; ++i)
                    $root.p2pnode.Endpoint.encode(m.relays[i], w.uint32(/* id 7, wireType 2 =*/58).fork(), q + 1).ldelim();
            }
            if (m.relayUse != null && $Object.hasOwnProperty.call(m, "relayUse") && m.relayUse !== 0)
                w.uint32(/* id 8, wireType 0 =*/64).int32(m.relayUse);
            if (m.ipv6Endpoints != null && m.ipv6Endpoints.length) {
                for (var i = 0; i < m.ipv6Endpoints.length; ++i)
                    $root.p2pnode.Endpoint.encode(m.ipv6Endpoints[i], w.uint32(/* id 9, wireType 2 =*/74).fork(), q + 1).ldelim();
            }
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Encodes the specified PunchOffer message, length delimited. Does not implicitly {@link p2pnode.PunchOffer.verify|verify} messages.
         * @function encodeDelimited
         * @memberof p2pnode.PunchOffer
         * @static
         * @param {p2pnode.PunchOffer.$Properties} message PunchOffer message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        PunchOffer.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a PunchOffer message from the specified reader or buffer.
         * @function decode
         * @memberof p2pnode.PunchOffer
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {p2pnode.PunchOffer & p2pnode.PunchOffer.$Shape} PunchOffer
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        PunchOffer.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.p2pnode.PunchOffer();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 2)
                            break;
                        if (!(m.publicEndpoints && m.publicEndpoints.length))
                            m.publicEndpoints = [];
                        m.publicEndpoints.push($root.p2pnode.Endpoint.decode(r, r.size(), $undefined, q + 1));
                        continue;
                    }
                case 2: {
                        if (u !== 2)
                            break;
                        if (!(m.lanEndpoints && m.lanEndpoints.length))
                            m.lanEndpoints = [];
                        m.lanEndpoints.push($root.p2pnode.Endpoint.decode(r, r.size(), $undefined, q + 1));
                        continue;
                    }
                case 3: {
                        if (u !== 2)
                            break;
                        m.nat = $root.p2pnode.NatProfile.decode(r, r.size(), $undefined, q + 1, m.nat);
                        continue;
                    }
                case 4: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.localPort = v;
                        else
                            delete m.localPort;
                        continue;
                    }
                case 5: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.rttMs = v;
                        else
                            delete m.rttMs;
                        continue;
                    }
                case 6: {
                        if (u !== 0)
                            break;
                        if (v = r.bool())
                            m.provisional = v;
                        else
                            delete m.provisional;
                        continue;
                    }
                case 7: {
                        if (u !== 2)
                            break;
                        if (!(m.relays && m.relays.length))
                            m.relays = [];
                        m.relays.push($root.p2pnode.Endpoint.decode(r, r.size(), $undefined, q + 1));
                        continue;
                    }
                case 8: {
                        if (u !== 0)
                            break;
                        if (v = r.int32())
                            m.relayUse = v;
                        else
                            delete m.relayUse;
                        continue;
                    }
                case 9: {
                        if (u !== 2)
                            break;
                        if (!(m.ipv6Endpoints && m.ipv6Endpoints.length))
                            m.ipv6Endpoints = [];
                        m.ipv6Endpoints.push($root.p2pnode.Endpoint.decode(r, r.size(), $undefined, q + 1));
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Decodes a PunchOffer message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof p2pnode.PunchOffer
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {p2pnode.PunchOffer & p2pnode.PunchOffer.$Shape} PunchOffer
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        PunchOffer.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a PunchOffer message.
         * @function verify
         * @memberof p2pnode.PunchOffer
         * @static
         * @param {Object.<string,*>} m Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        PunchOffer.verify = function (m, q) {
            if (typeof m !== "object" || m === null)
                return "object expected";
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                return "max depth exceeded";
            if (m.publicEndpoints != null && $Object.hasOwnProperty.call(m, "publicEndpoints")) {
                if (!$Array.isArray(m.publicEndpoints))
                    return "publicEndpoints: array expected";
                for (var i = 0; i < m.publicEndpoints.length; ++i) {
                    {
                        var e = $root.p2pnode.Endpoint.verify(m.publicEndpoints[i], q + 1);
                        if (e)
                            return "publicEndpoints." + e;
                    }
                }
            }
            if (m.lanEndpoints != null && $Object.hasOwnProperty.call(m, "lanEndpoints")) {
                if (!$Array.isArray(m.lanEndpoints))
                    return "lanEndpoints: array expected";
                for (var i = 0; i < m.lanEndpoints.length; ++i) {
                    {
                        var e = $root.p2pnode.Endpoint.verify(m.lanEndpoints[i], q + 1);
                        if (e)
                            return "lanEndpoints." + e;
                    }
                }
            }
            if (m.nat != null && $Object.hasOwnProperty.call(m, "nat")) {
                {
                    var e = $root.p2pnode.NatProfile.verify(m.nat, q + 1);
                    if (e)
                        return "nat." + e;
                }
            }
            if (m.localPort != null && $Object.hasOwnProperty.call(m, "localPort")) {
                if (!$util.isInteger(m.localPort))
                    return "localPort: integer expected";
            }
            if (m.rttMs != null && $Object.hasOwnProperty.call(m, "rttMs")) {
                if (!$util.isInteger(m.rttMs))
                    return "rttMs: integer expected";
            }
            if (m.provisional != null && $Object.hasOwnProperty.call(m, "provisional")) {
                if (typeof m.provisional !== "boolean")
                    return "provisional: boolean expected";
            }
            if (m.relays != null && $Object.hasOwnProperty.call(m, "relays")) {
                if (!$Array.isArray(m.relays))
                    return "relays: array expected";
                for (var i = 0; i < m.relays.length; ++i) {
                    {
                        var e = $root.p2pnode.Endpoint.verify(m.relays[i], q + 1);
                        if (e)
                            return "relays." + e;
                    }
                }
            }
            if (m.relayUse != null && $Object.hasOwnProperty.call(m, "relayUse")) {
                if (typeof m.relayUse !== "number" || (m.relayUse | 0) !== m.relayUse)
                    return "relayUse: enum value expected";
            }
            if (m.ipv6Endpoints != null && $Object.hasOwnProperty.call(m, "ipv6Endpoints")) {
                if (!$Array.isArray(m.ipv6Endpoints))
                    return "ipv6Endpoints: array expected";
                for (var i = 0; i < m.ipv6Endpoints.length; ++i) {
                    {
                        var e = $root.p2pnode.Endpoint.verify(m.ipv6Endpoints[i], q + 1);
                        if (e)
                            return "ipv6Endpoints." + e;
                    }
                }
            }
            return null;
        };

        /**
         * Creates a PunchOffer message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof p2pnode.PunchOffer
         * @static
         * @param {Object.<string,*>} d Plain object
         * @returns {p2pnode.PunchOffer} PunchOffer
         */
        PunchOffer.fromObject = function (d, q) {
            if (d instanceof $root.p2pnode.PunchOffer)
                return d;
            if (!$util.isObject(d))
                throw $TypeError(".p2pnode.PunchOffer: object expected");
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            var m = new $root.p2pnode.PunchOffer();
            if (d.publicEndpoints) {
                if (!$Array.isArray(d.publicEndpoints))
                    throw $TypeError(".p2pnode.PunchOffer.publicEndpoints: array expected");
                m.publicEndpoints = $Array(d.publicEndpoints.length);
                for (var i = 0; i < d.publicEndpoints.length; ++i) {
                    if (!$util.isObject(d.publicEndpoints[i]))
                        throw $TypeError(".p2pnode.PunchOffer.publicEndpoints: object expected");
                    m.publicEndpoints[i] = $root.p2pnode.Endpoint.fromObject(d.publicEndpoints[i], q + 1);
                }
            }
            if (d.lanEndpoints) {
                if (!$Array.isArray(d.lanEndpoints))
                    throw $TypeError(".p2pnode.PunchOffer.lanEndpoints: array expected");
                m.lanEndpoints = $Array(d.lanEndpoints.length);
                for (var i = 0; i < d.lanEndpoints.length; ++i) {
                    if (!$util.isObject(d.lanEndpoints[i]))
                        throw $TypeError(".p2pnode.PunchOffer.lanEndpoints: object expected");
                    m.lanEndpoints[i] = $root.p2pnode.Endpoint.fromObject(d.lanEndpoints[i], q + 1);
                }
            }
            if (d.nat != null) {
                if (!$util.isObject(d.nat))
                    throw $TypeError(".p2pnode.PunchOffer.nat: object expected");
                m.nat = $root.p2pnode.NatProfile.fromObject(d.nat, q + 1);
            }
            if (d.localPort != null) {
                if ($Number(d.localPort) !== 0) {
                    m.localPort = d.localPort >>> 0;
                }
            }
            if (d.rttMs != null) {
                if ($Number(d.rttMs) !== 0) {
                    m.rttMs = d.rttMs >>> 0;
                }
            }
            if (d.provisional != null) {
                if (d.provisional) {
                    m.provisional = $Boolean(d.provisional);
                }
            }
            if (d.relays) {
                if (!$Array.isArray(d.relays))
                    throw $TypeError(".p2pnode.PunchOffer.relays: array expected");
                m.relays = $Array(d.relays.length);
                for (var i = 0; i < d.relays.length; ++i) {
                    if (!$util.isObject(d.relays[i]))
                        throw $TypeError(".p2pnode.PunchOffer.relays: object expected");
                    m.relays[i] = $root.p2pnode.Endpoint.fromObject(d.relays[i], q + 1);
                }
            }
            if (d.relayUse !== 0 && (typeof d.relayUse !== "string" || $root.p2pnode.RelayUse[d.relayUse] !== 0)) {
                switch (d.relayUse) {
                case "RELAY_AUTO":
                case 0:
                    m.relayUse = 0;
                    break;
                case "RELAY_NEVER":
                case 1:
                    m.relayUse = 1;
                    break;
                case "RELAY_ONLY":
                case 2:
                    m.relayUse = 2;
                    break;
                default:
                    if (typeof d.relayUse === "number" && (d.relayUse | 0) === d.relayUse)
                        m.relayUse = d.relayUse;
                }
            }
            if (d.ipv6Endpoints) {
                if (!$Array.isArray(d.ipv6Endpoints))
                    throw $TypeError(".p2pnode.PunchOffer.ipv6Endpoints: array expected");
                m.ipv6Endpoints = $Array(d.ipv6Endpoints.length);
                for (var i = 0; i < d.ipv6Endpoints.length; ++i) {
                    if (!$util.isObject(d.ipv6Endpoints[i]))
                        throw $TypeError(".p2pnode.PunchOffer.ipv6Endpoints: object expected");
                    m.ipv6Endpoints[i] = $root.p2pnode.Endpoint.fromObject(d.ipv6Endpoints[i], q + 1);
                }
            }
            return m;
        };

        /**
         * Creates a plain object from a PunchOffer message. Also converts values to other types if specified.
         * @function toObject
         * @memberof p2pnode.PunchOffer
         * @static
         * @param {p2pnode.PunchOffer} m PunchOffer
         * @param {$protobuf.IConversionOptions} [o] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        PunchOffer.toObject = function (m, o, q) {
            if (!o)
                o = {};
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            var d = {};
            if (o.arrays || o.defaults) {
                d.publicEndpoints = [];
                d.lanEndpoints = [];
                d.relays = [];
                d.ipv6Endpoints = [];
            }
            if (o.defaults) {
                d.nat = null;
                d.localPort = 0;
                d.rttMs = 0;
                d.provisional = false;
                d.relayUse = o.enums === $String ? "RELAY_AUTO" : 0;
            }
            if (m.publicEndpoints && m.publicEndpoints.length) {
                d.publicEndpoints = $Array(m.publicEndpoints.length);
                for (var j = 0; j < m.publicEndpoints.length; ++j) {
                    d.publicEndpoints[j] = $root.p2pnode.Endpoint.toObject(m.publicEndpoints[j], o, q + 1);
                }
            }
            if (m.lanEndpoints && m.lanEndpoints.length) {
                d.lanEndpoints = $Array(m.lanEndpoints.length);
                for (var j = 0; j < m.lanEndpoints.length; ++j) {
                    d.lanEndpoints[j] = $root.p2pnode.Endpoint.toObject(m.lanEndpoints[j], o, q + 1);
                }
            }
            if (m.nat != null && $Object.hasOwnProperty.call(m, "nat")) {
                d.nat = $root.p2pnode.NatProfile.toObject(m.nat, o, q + 1);
            }
            if (m.localPort != null && $Object.hasOwnProperty.call(m, "localPort")) {
                d.localPort = m.localPort;
            }
            if (m.rttMs != null && $Object.hasOwnProperty.call(m, "rttMs")) {
                d.rttMs = m.rttMs;
            }
            if (m.provisional != null && $Object.hasOwnProperty.call(m, "provisional")) {
                d.provisional = m.provisional;
            }
            if (m.relays && m.relays.length) {
                d.relays = $Array(m.relays.length);
                for (var j = 0; j < m.relays.length; ++j) {
                    d.relays[j] = $root.p2pnode.Endpoint.toObject(m.relays[j], o, q + 1);
                }
            }
            if (m.relayUse != null && $Object.hasOwnProperty.call(m, "relayUse")) {
                d.relayUse = o.enums === $String ? $root.p2pnode.RelayUse[m.relayUse] === $undefined ? m.relayUse : $root.p2pnode.RelayUse[m.relayUse] : m.relayUse;
            }
            if (m.ipv6Endpoints && m.ipv6Endpoints.length) {
                d.ipv6Endpoints = $Array(m.ipv6Endpoints.length);
                for (var j = 0; j < m.ipv6Endpoints.length; ++j) {
                    d.ipv6Endpoints[j] = $root.p2pnode.Endpoint.toObject(m.ipv6Endpoints[j], o, q + 1);
                }
            }
            return d;
        };

        /**
         * Converts this PunchOffer to JSON.
         * @function toJSON
         * @memberof p2pnode.PunchOffer
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        PunchOffer.prototype.toJSON = function() {
            return PunchOffer.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for PunchOffer
         * @function getTypeUrl
         * @memberof p2pnode.PunchOffer
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        PunchOffer.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/p2pnode.PunchOffer";
        };

        return PunchOffer;
    })();

    /**
     * RelayUse enum.
     * @name p2pnode.RelayUse
     * @enum {number}
     * @property {number} RELAY_AUTO=0 RELAY_AUTO value
     * @property {number} RELAY_NEVER=1 RELAY_NEVER value
     * @property {number} RELAY_ONLY=2 RELAY_ONLY value
     */
    p2pnode.RelayUse = (function() {
        const valuesById = $Object.create(null), values = $Object.create(valuesById);
        values[valuesById[0] = "RELAY_AUTO"] = 0;
        values[valuesById[1] = "RELAY_NEVER"] = 1;
        values[valuesById[2] = "RELAY_ONLY"] = 2;
        return values;
    })();

    /**
     * SignalKind enum.
     * @name p2pnode.SignalKind
     * @enum {number}
     * @property {number} SIGNAL_UNKNOWN=0 SIGNAL_UNKNOWN value
     * @property {number} SIGNAL_REGISTER=1 SIGNAL_REGISTER value
     * @property {number} SIGNAL_REQUEST=2 SIGNAL_REQUEST value
     * @property {number} SIGNAL_ANSWER=3 SIGNAL_ANSWER value
     */
    p2pnode.SignalKind = (function() {
        const valuesById = $Object.create(null), values = $Object.create(valuesById);
        values[valuesById[0] = "SIGNAL_UNKNOWN"] = 0;
        values[valuesById[1] = "SIGNAL_REGISTER"] = 1;
        values[valuesById[2] = "SIGNAL_REQUEST"] = 2;
        values[valuesById[3] = "SIGNAL_ANSWER"] = 3;
        return values;
    })();

    p2pnode.SignalBody = (function() {

        /**
         * Properties of a SignalBody.
         * @typedef {Object} p2pnode.SignalBody.$Properties
         * @property {p2pnode.SignalKind|null} [kind] SignalBody kind
         * @property {Uint8Array|null} [senderKey] SignalBody senderKey
         * @property {Uint8Array|null} [targetKey] SignalBody targetKey
         * @property {Uint8Array|null} [nonce] SignalBody nonce
         * @property {number|null} [issuedAtMs] SignalBody issuedAtMs
         * @property {Uint8Array|null} [offer] SignalBody offer
         * @property {Uint8Array|null} [replyTo] SignalBody replyTo
         * @property {Uint8Array|null} [token] SignalBody token
         * @property {Uint8Array|null} [session] SignalBody session
         * @property {boolean|null} [refused] SignalBody refused
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a SignalBody.
         * @memberof p2pnode
         * @interface ISignalBody
         * @augments p2pnode.SignalBody.$Properties
         * @deprecated Use p2pnode.SignalBody.$Properties instead.
         */

        /**
         * Shape of a SignalBody.
         * @typedef {p2pnode.SignalBody.$Properties} p2pnode.SignalBody.$Shape
         */

        /**
         * Constructs a new SignalBody.
         * @memberof p2pnode
         * @classdesc Represents a SignalBody.
         * @constructor
         * @param {p2pnode.SignalBody.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const SignalBody = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * SignalBody kind.
         * @member {p2pnode.SignalKind} kind
         * @memberof p2pnode.SignalBody
         * @instance
         */
        SignalBody.prototype.kind = 0;

        /**
         * SignalBody senderKey.
         * @member {Uint8Array} senderKey
         * @memberof p2pnode.SignalBody
         * @instance
         */
        SignalBody.prototype.senderKey = $util.newBuffer([]);

        /**
         * SignalBody targetKey.
         * @member {Uint8Array} targetKey
         * @memberof p2pnode.SignalBody
         * @instance
         */
        SignalBody.prototype.targetKey = $util.newBuffer([]);

        /**
         * SignalBody nonce.
         * @member {Uint8Array} nonce
         * @memberof p2pnode.SignalBody
         * @instance
         */
        SignalBody.prototype.nonce = $util.newBuffer([]);

        /**
         * SignalBody issuedAtMs.
         * @member {number} issuedAtMs
         * @memberof p2pnode.SignalBody
         * @instance
         */
        SignalBody.prototype.issuedAtMs = 0;

        /**
         * SignalBody offer.
         * @member {Uint8Array} offer
         * @memberof p2pnode.SignalBody
         * @instance
         */
        SignalBody.prototype.offer = $util.newBuffer([]);

        /**
         * SignalBody replyTo.
         * @member {Uint8Array} replyTo
         * @memberof p2pnode.SignalBody
         * @instance
         */
        SignalBody.prototype.replyTo = $util.newBuffer([]);

        /**
         * SignalBody token.
         * @member {Uint8Array} token
         * @memberof p2pnode.SignalBody
         * @instance
         */
        SignalBody.prototype.token = $util.newBuffer([]);

        /**
         * SignalBody session.
         * @member {Uint8Array} session
         * @memberof p2pnode.SignalBody
         * @instance
         */
        SignalBody.prototype.session = $util.newBuffer([]);

        /**
         * SignalBody refused.
         * @member {boolean} refused
         * @memberof p2pnode.SignalBody
         * @instance
         */
        SignalBody.prototype.refused = false;

        /**
         * Creates a new SignalBody instance using the specified properties.
         * @function create
         * @memberof p2pnode.SignalBody
         * @static
         * @param {p2pnode.SignalBody.$Properties=} [properties] Properties to set
         * @returns {p2pnode.SignalBody} SignalBody instance
         * @type {{
         *   (properties: p2pnode.SignalBody.$Shape): p2pnode.SignalBody & p2pnode.SignalBody.$Shape;
         *   (properties?: p2pnode.SignalBody.$Properties): p2pnode.SignalBody;
         * }}
         */
        SignalBody.create = function(properties) {
            return new SignalBody(properties);
        };

        /**
         * Encodes the specified SignalBody message. Does not implicitly {@link p2pnode.SignalBody.verify|verify} messages.
         * @function encode
         * @memberof p2pnode.SignalBody
         * @static
         * @param {p2pnode.SignalBody.$Properties} m SignalBody message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        SignalBody.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.kind != null && $Object.hasOwnProperty.call(m, "kind") && m.kind !== 0)
                w.uint32(/* id 1, wireType 0 =*/8).int32(m.kind);
            if (m.senderKey != null && $Object.hasOwnProperty.call(m, "senderKey") && m.senderKey.length)
                w.uint32(/* id 2, wireType 2 =*/18).bytes(m.senderKey);
            if (m.targetKey != null && $Object.hasOwnProperty.call(m, "targetKey") && m.targetKey.length)
                w.uint32(/* id 3, wireType 2 =*/26).bytes(m.targetKey);
            if (m.nonce != null && $Object.hasOwnProperty.call(m, "nonce") && m.nonce.length)
                w.uint32(/* id 4, wireType 2 =*/34).bytes(m.nonce);
            if (m.issuedAtMs != null && $Object.hasOwnProperty.call(m, "issuedAtMs") && !$Object.is(m.issuedAtMs, 0))
                w.uint32(/* id 5, wireType 1 =*/41).double(m.issuedAtMs);
            if (m.offer != null && $Object.hasOwnProperty.call(m, "offer") && m.offer.length)
                w.uint32(/* id 6, wireType 2 =*/50).bytes(m.offer);
            if (m.replyTo != null && $Object.hasOwnProperty.call(m, "replyTo") && m.replyTo.length)
                w.uint32(/* id 7, wireType 2 =*/58).bytes(m.replyTo);
            if (m.token != null && $Object.hasOwnProperty.call(m, "token") && m.token.length)
                w.uint32(/* id 8, wireType 2 =*/66).bytes(m.token);
            if (m.session != null && $Object.hasOwnProperty.call(m, "session") && m.session.length)
                w.uint32(/* id 9, wireType 2 =*/74).bytes(m.session);
            if (m.refused != null && $Object.hasOwnProperty.call(m, "refused") && m.refused !== false)
                w.uint32(/* id 10, wireType 0 =*/80).bool(m.refused);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Encodes the specified SignalBody message, length delimited. Does not implicitly {@link p2pnode.SignalBody.verify|verify} messages.
         * @function encodeDelimited
         * @memberof p2pnode.SignalBody
         * @static
         * @param {p2pnode.SignalBody.$Properties} message SignalBody message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        SignalBody.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a SignalBody message from the specified reader or buffer.
         * @function decode
         * @memberof p2pnode.SignalBody
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {p2pnode.SignalBody & p2pnode.SignalBody.$Shape} SignalBody
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        SignalBody.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.p2pnode.SignalBody();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 0)
                            break;
                        if (v = r.int32())
                            m.kind = v;
                        else
                            delete m.kind;
                        continue;
                    }
                case 2: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.senderKey = v;
                        else
                            delete m.senderKey;
                        continue;
                    }
                case 3: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.targetKey = v;
                        else
                            delete m.targetKey;
                        continue;
                    }
                case 4: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.nonce = v;
                        else
                            delete m.nonce;
                        continue;
                    }
                case 5: {
                        if (u !== 1)
                            break;
                        if (!$Object.is(v = r.double(), 0))
                            m.issuedAtMs = v;
                        else
                            delete m.issuedAtMs;
                        continue;
                    }
                case 6: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.offer = v;
                        else
                            delete m.offer;
                        continue;
                    }
                case 7: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.replyTo = v;
                        else
                            delete m.replyTo;
                        continue;
                    }
                case 8: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.token = v;
                        else
                            delete m.token;
                        continue;
                    }
                case 9: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.session = v;
                        else
                            delete m.session;
                        continue;
                    }
                case 10: {
                        if (u !== 0)
                            break;
                        if (v = r.bool())
                            m.refused = v;
                        else
                            delete m.refused;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Decodes a SignalBody message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof p2pnode.SignalBody
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {p2pnode.SignalBody & p2pnode.SignalBody.$Shape} SignalBody
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        SignalBody.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a SignalBody message.
         * @function verify
         * @memberof p2pnode.SignalBody
         * @static
         * @param {Object.<string,*>} m Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        SignalBody.verify = function (m, q) {
            if (typeof m !== "object" || m === null)
                return "object expected";
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                return "max depth exceeded";
            if (m.kind != null && $Object.hasOwnProperty.call(m, "kind")) {
                if (typeof m.kind !== "number" || (m.kind | 0) !== m.kind)
                    return "kind: enum value expected";
            }
            if (m.senderKey != null && $Object.hasOwnProperty.call(m, "senderKey")) {
                if (!(m.senderKey && typeof m.senderKey.length === "number" || $util.isString(m.senderKey)))
                    return "senderKey: buffer expected";
            }
            if (m.targetKey != null && $Object.hasOwnProperty.call(m, "targetKey")) {
                if (!(m.targetKey && typeof m.targetKey.length === "number" || $util.isString(m.targetKey)))
                    return "targetKey: buffer expected";
            }
            if (m.nonce != null && $Object.hasOwnProperty.call(m, "nonce")) {
                if (!(m.nonce && typeof m.nonce.length === "number" || $util.isString(m.nonce)))
                    return "nonce: buffer expected";
            }
            if (m.issuedAtMs != null && $Object.hasOwnProperty.call(m, "issuedAtMs")) {
                if (typeof m.issuedAtMs !== "number")
                    return "issuedAtMs: number expected";
            }
            if (m.offer != null && $Object.hasOwnProperty.call(m, "offer")) {
                if (!(m.offer && typeof m.offer.length === "number" || $util.isString(m.offer)))
                    return "offer: buffer expected";
            }
            if (m.replyTo != null && $Object.hasOwnProperty.call(m, "replyTo")) {
                if (!(m.replyTo && typeof m.replyTo.length === "number" || $util.isString(m.replyTo)))
                    return "replyTo: buffer expected";
            }
            if (m.token != null && $Object.hasOwnProperty.call(m, "token")) {
                if (!(m.token && typeof m.token.length === "number" || $util.isString(m.token)))
                    return "token: buffer expected";
            }
            if (m.session != null && $Object.hasOwnProperty.call(m, "session")) {
                if (!(m.session && typeof m.session.length === "number" || $util.isString(m.session)))
                    return "session: buffer expected";
            }
            if (m.refused != null && $Object.hasOwnProperty.call(m, "refused")) {
                if (typeof m.refused !== "boolean")
                    return "refused: boolean expected";
            }
            return null;
        };

        /**
         * Creates a SignalBody message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof p2pnode.SignalBody
         * @static
         * @param {Object.<string,*>} d Plain object
         * @returns {p2pnode.SignalBody} SignalBody
         */
        SignalBody.fromObject = function (d, q) {
            if (d instanceof $root.p2pnode.SignalBody)
                return d;
            if (!$util.isObject(d))
                throw $TypeError(".p2pnode.SignalBody: object expected");
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            var m = new $root.p2pnode.SignalBody();
            if (d.kind !== 0 && (typeof d.kind !== "string" || $root.p2pnode.SignalKind[d.kind] !== 0)) {
                switch (d.kind) {
                case "SIGNAL_UNKNOWN":
                case 0:
                    m.kind = 0;
                    break;
                case "SIGNAL_REGISTER":
                case 1:
                    m.kind = 1;
                    break;
                case "SIGNAL_REQUEST":
                case 2:
                    m.kind = 2;
                    break;
                case "SIGNAL_ANSWER":
                case 3:
                    m.kind = 3;
                    break;
                default:
                    if (typeof d.kind === "number" && (d.kind | 0) === d.kind)
                        m.kind = d.kind;
                }
            }
            if (d.senderKey != null) {
                if (d.senderKey.length) {
                    if (typeof d.senderKey === "string")
                        $util.base64.decode(d.senderKey, m.senderKey = $util.newBuffer($util.base64.length(d.senderKey)), 0);
                    else if (d.senderKey.length >= 0)
                        m.senderKey = d.senderKey;
                }
            }
            if (d.targetKey != null) {
                if (d.targetKey.length) {
                    if (typeof d.targetKey === "string")
                        $util.base64.decode(d.targetKey, m.targetKey = $util.newBuffer($util.base64.length(d.targetKey)), 0);
                    else if (d.targetKey.length >= 0)
                        m.targetKey = d.targetKey;
                }
            }
            if (d.nonce != null) {
                if (d.nonce.length) {
                    if (typeof d.nonce === "string")
                        $util.base64.decode(d.nonce, m.nonce = $util.newBuffer($util.base64.length(d.nonce)), 0);
                    else if (d.nonce.length >= 0)
                        m.nonce = d.nonce;
                }
            }
            if (d.issuedAtMs != null) {
                if (!$Object.is($Number(d.issuedAtMs), 0)) {
                    m.issuedAtMs = $Number(d.issuedAtMs);
                }
            }
            if (d.offer != null) {
                if (d.offer.length) {
                    if (typeof d.offer === "string")
                        $util.base64.decode(d.offer, m.offer = $util.newBuffer($util.base64.length(d.offer)), 0);
                    else if (d.offer.length >= 0)
                        m.offer = d.offer;
                }
            }
            if (d.replyTo != null) {
                if (d.replyTo.length) {
                    if (typeof d.replyTo === "string")
                        $util.base64.decode(d.replyTo, m.replyTo = $util.newBuffer($util.base64.length(d.replyTo)), 0);
                    else if (d.replyTo.length >= 0)
                        m.replyTo = d.replyTo;
                }
            }
            if (d.token != null) {
                if (d.token.length) {
                    if (typeof d.token === "string")
                        $util.base64.decode(d.token, m.token = $util.newBuffer($util.base64.length(d.token)), 0);
                    else if (d.token.length >= 0)
                        m.token = d.token;
                }
            }
            if (d.session != null) {
                if (d.session.length) {
                    if (typeof d.session === "string")
                        $util.base64.decode(d.session, m.session = $util.newBuffer($util.base64.length(d.session)), 0);
                    else if (d.session.length >= 0)
                        m.session = d.session;
                }
            }
            if (d.refused != null) {
                if (d.refused) {
                    m.refused = $Boolean(d.refused);
                }
            }
            return m;
        };

        /**
         * Creates a plain object from a SignalBody message. Also converts values to other types if specified.
         * @function toObject
         * @memberof p2pnode.SignalBody
         * @static
         * @param {p2pnode.SignalBody} m SignalBody
         * @param {$protobuf.IConversionOptions} [o] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        SignalBody.toObject = function (m, o, q) {
            if (!o)
                o = {};
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            var d = {};
            if (o.defaults) {
                d.kind = o.enums === $String ? "SIGNAL_UNKNOWN" : 0;
                if (o.bytes === $String)
                    d.senderKey = "";
                else {
                    d.senderKey = [];
                    if (o.bytes !== $Array)
                        d.senderKey = $util.newBuffer(d.senderKey);
                }
                if (o.bytes === $String)
                    d.targetKey = "";
                else {
                    d.targetKey = [];
                    if (o.bytes !== $Array)
                        d.targetKey = $util.newBuffer(d.targetKey);
                }
                if (o.bytes === $String)
                    d.nonce = "";
                else {
                    d.nonce = [];
                    if (o.bytes !== $Array)
                        d.nonce = $util.newBuffer(d.nonce);
                }
                d.issuedAtMs = 0;
                if (o.bytes === $String)
                    d.offer = "";
                else {
                    d.offer = [];
                    if (o.bytes !== $Array)
                        d.offer = $util.newBuffer(d.offer);
                }
                if (o.bytes === $String)
                    d.replyTo = "";
                else {
                    d.replyTo = [];
                    if (o.bytes !== $Array)
                        d.replyTo = $util.newBuffer(d.replyTo);
                }
                if (o.bytes === $String)
                    d.token = "";
                else {
                    d.token = [];
                    if (o.bytes !== $Array)
                        d.token = $util.newBuffer(d.token);
                }
                if (o.bytes === $String)
                    d.session = "";
                else {
                    d.session = [];
                    if (o.bytes !== $Array)
                        d.session = $util.newBuffer(d.session);
                }
                d.refused = false;
            }
            if (m.kind != null && $Object.hasOwnProperty.call(m, "kind")) {
                d.kind = o.enums === $String ? $root.p2pnode.SignalKind[m.kind] === $undefined ? m.kind : $root.p2pnode.SignalKind[m.kind] : m.kind;
            }
            if (m.senderKey != null && $Object.hasOwnProperty.call(m, "senderKey")) {
                d.senderKey = o.bytes === $String ? $util.base64.encode(m.senderKey, 0, m.senderKey.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.senderKey) : m.senderKey;
            }
            if (m.targetKey != null && $Object.hasOwnProperty.call(m, "targetKey")) {
                d.targetKey = o.bytes === $String ? $util.base64.encode(m.targetKey, 0, m.targetKey.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.targetKey) : m.targetKey;
            }
            if (m.nonce != null && $Object.hasOwnProperty.call(m, "nonce")) {
                d.nonce = o.bytes === $String ? $util.base64.encode(m.nonce, 0, m.nonce.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.nonce) : m.nonce;
            }
            if (m.issuedAtMs != null && $Object.hasOwnProperty.call(m, "issuedAtMs")) {
                d.issuedAtMs = o.json && !$isFinite(m.issuedAtMs) ? $String(m.issuedAtMs) : m.issuedAtMs;
            }
            if (m.offer != null && $Object.hasOwnProperty.call(m, "offer")) {
                d.offer = o.bytes === $String ? $util.base64.encode(m.offer, 0, m.offer.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.offer) : m.offer;
            }
            if (m.replyTo != null && $Object.hasOwnProperty.call(m, "replyTo")) {
                d.replyTo = o.bytes === $String ? $util.base64.encode(m.replyTo, 0, m.replyTo.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.replyTo) : m.replyTo;
            }
            if (m.token != null && $Object.hasOwnProperty.call(m, "token")) {
                d.token = o.bytes === $String ? $util.base64.encode(m.token, 0, m.token.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.token) : m.token;
            }
            if (m.session != null && $Object.hasOwnProperty.call(m, "session")) {
                d.session = o.bytes === $String ? $util.base64.encode(m.session, 0, m.session.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.session) : m.session;
            }
            if (m.refused != null && $Object.hasOwnProperty.call(m, "refused")) {
                d.refused = m.refused;
            }
            return d;
        };

        /**
         * Converts this SignalBody to JSON.
         * @function toJSON
         * @memberof p2pnode.SignalBody
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        SignalBody.prototype.toJSON = function() {
            return SignalBody.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for SignalBody
         * @function getTypeUrl
         * @memberof p2pnode.SignalBody
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        SignalBody.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/p2pnode.SignalBody";
        };

        return SignalBody;
    })();

    p2pnode.SignedSignal = (function() {

        /**
         * Properties of a SignedSignal.
         * @typedef {Object} p2pnode.SignedSignal.$Properties
         * @property {Uint8Array|null} [body] SignedSignal body
         * @property {Uint8Array|null} [signature] SignedSignal signature
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a SignedSignal.
         * @memberof p2pnode
         * @interface ISignedSignal
         * @augments p2pnode.SignedSignal.$Properties
         * @deprecated Use p2pnode.SignedSignal.$Properties instead.
         */

        /**
         * Shape of a SignedSignal.
         * @typedef {p2pnode.SignedSignal.$Properties} p2pnode.SignedSignal.$Shape
         */

        /**
         * Constructs a new SignedSignal.
         * @memberof p2pnode
         * @classdesc Represents a SignedSignal.
         * @constructor
         * @param {p2pnode.SignedSignal.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const SignedSignal = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * SignedSignal body.
         * @member {Uint8Array} body
         * @memberof p2pnode.SignedSignal
         * @instance
         */
        SignedSignal.prototype.body = $util.newBuffer([]);

        /**
         * SignedSignal signature.
         * @member {Uint8Array} signature
         * @memberof p2pnode.SignedSignal
         * @instance
         */
        SignedSignal.prototype.signature = $util.newBuffer([]);

        /**
         * Creates a new SignedSignal instance using the specified properties.
         * @function create
         * @memberof p2pnode.SignedSignal
         * @static
         * @param {p2pnode.SignedSignal.$Properties=} [properties] Properties to set
         * @returns {p2pnode.SignedSignal} SignedSignal instance
         * @type {{
         *   (properties: p2pnode.SignedSignal.$Shape): p2pnode.SignedSignal & p2pnode.SignedSignal.$Shape;
         *   (properties?: p2pnode.SignedSignal.$Properties): p2pnode.SignedSignal;
         * }}
         */
        SignedSignal.create = function(properties) {
            return new SignedSignal(properties);
        };

        /**
         * Encodes the specified SignedSignal message. Does not implicitly {@link p2pnode.SignedSignal.verify|verify} messages.
         * @function encode
         * @memberof p2pnode.SignedSignal
         * @static
         * @param {p2pnode.SignedSignal.$Properties} m SignedSignal message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        SignedSignal.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.body != null && $Object.hasOwnProperty.call(m, "body") && m.body.length)
                w.uint32(/* id 1, wireType 2 =*/10).bytes(m.body);
            if (m.signature != null && $Object.hasOwnProperty.call(m, "signature") && m.signature.length)
                w.uint32(/* id 2, wireType 2 =*/18).bytes(m.signature);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Encodes the specified SignedSignal message, length delimited. Does not implicitly {@link p2pnode.SignedSignal.verify|verify} messages.
         * @function encodeDelimited
         * @memberof p2pnode.SignedSignal
         * @static
         * @param {p2pnode.SignedSignal.$Properties} message SignedSignal message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        SignedSignal.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a SignedSignal message from the specified reader or buffer.
         * @function decode
         * @memberof p2pnode.SignedSignal
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {p2pnode.SignedSignal & p2pnode.SignedSignal.$Shape} SignedSignal
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        SignedSignal.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.p2pnode.SignedSignal();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.body = v;
                        else
                            delete m.body;
                        continue;
                    }
                case 2: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.signature = v;
                        else
                            delete m.signature;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Decodes a SignedSignal message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof p2pnode.SignedSignal
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {p2pnode.SignedSignal & p2pnode.SignedSignal.$Shape} SignedSignal
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        SignedSignal.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a SignedSignal message.
         * @function verify
         * @memberof p2pnode.SignedSignal
         * @static
         * @param {Object.<string,*>} m Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        SignedSignal.verify = function (m, q) {
            if (typeof m !== "object" || m === null)
                return "object expected";
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                return "max depth exceeded";
            if (m.body != null && $Object.hasOwnProperty.call(m, "body")) {
                if (!(m.body && typeof m.body.length === "number" || $util.isString(m.body)))
                    return "body: buffer expected";
            }
            if (m.signature != null && $Object.hasOwnProperty.call(m, "signature")) {
                if (!(m.signature && typeof m.signature.length === "number" || $util.isString(m.signature)))
                    return "signature: buffer expected";
            }
            return null;
        };

        /**
         * Creates a SignedSignal message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof p2pnode.SignedSignal
         * @static
         * @param {Object.<string,*>} d Plain object
         * @returns {p2pnode.SignedSignal} SignedSignal
         */
        SignedSignal.fromObject = function (d, q) {
            if (d instanceof $root.p2pnode.SignedSignal)
                return d;
            if (!$util.isObject(d))
                throw $TypeError(".p2pnode.SignedSignal: object expected");
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            var m = new $root.p2pnode.SignedSignal();
            if (d.body != null) {
                if (d.body.length) {
                    if (typeof d.body === "string")
                        $util.base64.decode(d.body, m.body = $util.newBuffer($util.base64.length(d.body)), 0);
                    else if (d.body.length >= 0)
                        m.body = d.body;
                }
            }
            if (d.signature != null) {
                if (d.signature.length) {
                    if (typeof d.signature === "string")
                        $util.base64.decode(d.signature, m.signature = $util.newBuffer($util.base64.length(d.signature)), 0);
                    else if (d.signature.length >= 0)
                        m.signature = d.signature;
                }
            }
            return m;
        };

        /**
         * Creates a plain object from a SignedSignal message. Also converts values to other types if specified.
         * @function toObject
         * @memberof p2pnode.SignedSignal
         * @static
         * @param {p2pnode.SignedSignal} m SignedSignal
         * @param {$protobuf.IConversionOptions} [o] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        SignedSignal.toObject = function (m, o, q) {
            if (!o)
                o = {};
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            var d = {};
            if (o.defaults) {
                if (o.bytes === $String)
                    d.body = "";
                else {
                    d.body = [];
                    if (o.bytes !== $Array)
                        d.body = $util.newBuffer(d.body);
                }
                if (o.bytes === $String)
                    d.signature = "";
                else {
                    d.signature = [];
                    if (o.bytes !== $Array)
                        d.signature = $util.newBuffer(d.signature);
                }
            }
            if (m.body != null && $Object.hasOwnProperty.call(m, "body")) {
                d.body = o.bytes === $String ? $util.base64.encode(m.body, 0, m.body.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.body) : m.body;
            }
            if (m.signature != null && $Object.hasOwnProperty.call(m, "signature")) {
                d.signature = o.bytes === $String ? $util.base64.encode(m.signature, 0, m.signature.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.signature) : m.signature;
            }
            return d;
        };

        /**
         * Converts this SignedSignal to JSON.
         * @function toJSON
         * @memberof p2pnode.SignedSignal
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        SignedSignal.prototype.toJSON = function() {
            return SignedSignal.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for SignedSignal
         * @function getTypeUrl
         * @memberof p2pnode.SignedSignal
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        SignedSignal.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/p2pnode.SignedSignal";
        };

        return SignedSignal;
    })();

    p2pnode.RelayHello = (function() {

        /**
         * Properties of a RelayHello.
         * @typedef {Object} p2pnode.RelayHello.$Properties
         * @property {Uint8Array|null} [token] RelayHello token
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a RelayHello.
         * @memberof p2pnode
         * @interface IRelayHello
         * @augments p2pnode.RelayHello.$Properties
         * @deprecated Use p2pnode.RelayHello.$Properties instead.
         */

        /**
         * Shape of a RelayHello.
         * @typedef {p2pnode.RelayHello.$Properties} p2pnode.RelayHello.$Shape
         */

        /**
         * Constructs a new RelayHello.
         * @memberof p2pnode
         * @classdesc Represents a RelayHello.
         * @constructor
         * @param {p2pnode.RelayHello.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const RelayHello = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * RelayHello token.
         * @member {Uint8Array} token
         * @memberof p2pnode.RelayHello
         * @instance
         */
        RelayHello.prototype.token = $util.newBuffer([]);

        /**
         * Creates a new RelayHello instance using the specified properties.
         * @function create
         * @memberof p2pnode.RelayHello
         * @static
         * @param {p2pnode.RelayHello.$Properties=} [properties] Properties to set
         * @returns {p2pnode.RelayHello} RelayHello instance
         * @type {{
         *   (properties: p2pnode.RelayHello.$Shape): p2pnode.RelayHello & p2pnode.RelayHello.$Shape;
         *   (properties?: p2pnode.RelayHello.$Properties): p2pnode.RelayHello;
         * }}
         */
        RelayHello.create = function(properties) {
            return new RelayHello(properties);
        };

        /**
         * Encodes the specified RelayHello message. Does not implicitly {@link p2pnode.RelayHello.verify|verify} messages.
         * @function encode
         * @memberof p2pnode.RelayHello
         * @static
         * @param {p2pnode.RelayHello.$Properties} m RelayHello message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        RelayHello.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.token != null && $Object.hasOwnProperty.call(m, "token") && m.token.length)
                w.uint32(/* id 1, wireType 2 =*/10).bytes(m.token);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Encodes the specified RelayHello message, length delimited. Does not implicitly {@link p2pnode.RelayHello.verify|verify} messages.
         * @function encodeDelimited
         * @memberof p2pnode.RelayHello
         * @static
         * @param {p2pnode.RelayHello.$Properties} message RelayHello message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        RelayHello.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a RelayHello message from the specified reader or buffer.
         * @function decode
         * @memberof p2pnode.RelayHello
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {p2pnode.RelayHello & p2pnode.RelayHello.$Shape} RelayHello
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        RelayHello.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.p2pnode.RelayHello();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.token = v;
                        else
                            delete m.token;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Decodes a RelayHello message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof p2pnode.RelayHello
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {p2pnode.RelayHello & p2pnode.RelayHello.$Shape} RelayHello
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        RelayHello.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a RelayHello message.
         * @function verify
         * @memberof p2pnode.RelayHello
         * @static
         * @param {Object.<string,*>} m Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        RelayHello.verify = function (m, q) {
            if (typeof m !== "object" || m === null)
                return "object expected";
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                return "max depth exceeded";
            if (m.token != null && $Object.hasOwnProperty.call(m, "token")) {
                if (!(m.token && typeof m.token.length === "number" || $util.isString(m.token)))
                    return "token: buffer expected";
            }
            return null;
        };

        /**
         * Creates a RelayHello message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof p2pnode.RelayHello
         * @static
         * @param {Object.<string,*>} d Plain object
         * @returns {p2pnode.RelayHello} RelayHello
         */
        RelayHello.fromObject = function (d, q) {
            if (d instanceof $root.p2pnode.RelayHello)
                return d;
            if (!$util.isObject(d))
                throw $TypeError(".p2pnode.RelayHello: object expected");
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            var m = new $root.p2pnode.RelayHello();
            if (d.token != null) {
                if (d.token.length) {
                    if (typeof d.token === "string")
                        $util.base64.decode(d.token, m.token = $util.newBuffer($util.base64.length(d.token)), 0);
                    else if (d.token.length >= 0)
                        m.token = d.token;
                }
            }
            return m;
        };

        /**
         * Creates a plain object from a RelayHello message. Also converts values to other types if specified.
         * @function toObject
         * @memberof p2pnode.RelayHello
         * @static
         * @param {p2pnode.RelayHello} m RelayHello
         * @param {$protobuf.IConversionOptions} [o] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        RelayHello.toObject = function (m, o, q) {
            if (!o)
                o = {};
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            var d = {};
            if (o.defaults) {
                if (o.bytes === $String)
                    d.token = "";
                else {
                    d.token = [];
                    if (o.bytes !== $Array)
                        d.token = $util.newBuffer(d.token);
                }
            }
            if (m.token != null && $Object.hasOwnProperty.call(m, "token")) {
                d.token = o.bytes === $String ? $util.base64.encode(m.token, 0, m.token.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.token) : m.token;
            }
            return d;
        };

        /**
         * Converts this RelayHello to JSON.
         * @function toJSON
         * @memberof p2pnode.RelayHello
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        RelayHello.prototype.toJSON = function() {
            return RelayHello.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for RelayHello
         * @function getTypeUrl
         * @memberof p2pnode.RelayHello
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        RelayHello.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/p2pnode.RelayHello";
        };

        return RelayHello;
    })();

    /**
     * RelayStatus enum.
     * @name p2pnode.RelayStatus
     * @enum {number}
     * @property {number} RELAY_UNKNOWN=0 RELAY_UNKNOWN value
     * @property {number} RELAY_SPLICED=1 RELAY_SPLICED value
     * @property {number} RELAY_BUSY=2 RELAY_BUSY value
     * @property {number} RELAY_REFUSED=3 RELAY_REFUSED value
     */
    p2pnode.RelayStatus = (function() {
        const valuesById = $Object.create(null), values = $Object.create(valuesById);
        values[valuesById[0] = "RELAY_UNKNOWN"] = 0;
        values[valuesById[1] = "RELAY_SPLICED"] = 1;
        values[valuesById[2] = "RELAY_BUSY"] = 2;
        values[valuesById[3] = "RELAY_REFUSED"] = 3;
        return values;
    })();

    p2pnode.RelayVerdict = (function() {

        /**
         * Properties of a RelayVerdict.
         * @typedef {Object} p2pnode.RelayVerdict.$Properties
         * @property {p2pnode.RelayStatus|null} [status] RelayVerdict status
         * @property {string|null} [reason] RelayVerdict reason
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a RelayVerdict.
         * @memberof p2pnode
         * @interface IRelayVerdict
         * @augments p2pnode.RelayVerdict.$Properties
         * @deprecated Use p2pnode.RelayVerdict.$Properties instead.
         */

        /**
         * Shape of a RelayVerdict.
         * @typedef {p2pnode.RelayVerdict.$Properties} p2pnode.RelayVerdict.$Shape
         */

        /**
         * Constructs a new RelayVerdict.
         * @memberof p2pnode
         * @classdesc Represents a RelayVerdict.
         * @constructor
         * @param {p2pnode.RelayVerdict.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const RelayVerdict = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * RelayVerdict status.
         * @member {p2pnode.RelayStatus} status
         * @memberof p2pnode.RelayVerdict
         * @instance
         */
        RelayVerdict.prototype.status = 0;

        /**
         * RelayVerdict reason.
         * @member {string} reason
         * @memberof p2pnode.RelayVerdict
         * @instance
         */
        RelayVerdict.prototype.reason = "";

        /**
         * Creates a new RelayVerdict instance using the specified properties.
         * @function create
         * @memberof p2pnode.RelayVerdict
         * @static
         * @param {p2pnode.RelayVerdict.$Properties=} [properties] Properties to set
         * @returns {p2pnode.RelayVerdict} RelayVerdict instance
         * @type {{
         *   (properties: p2pnode.RelayVerdict.$Shape): p2pnode.RelayVerdict & p2pnode.RelayVerdict.$Shape;
         *   (properties?: p2pnode.RelayVerdict.$Properties): p2pnode.RelayVerdict;
         * }}
         */
        RelayVerdict.create = function(properties) {
            return new RelayVerdict(properties);
        };

        /**
         * Encodes the specified RelayVerdict message. Does not implicitly {@link p2pnode.RelayVerdict.verify|verify} messages.
         * @function encode
         * @memberof p2pnode.RelayVerdict
         * @static
         * @param {p2pnode.RelayVerdict.$Properties} m RelayVerdict message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        RelayVerdict.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.status != null && $Object.hasOwnProperty.call(m, "status") && m.status !== 0)
                w.uint32(/* id 1, wireType 0 =*/8).int32(m.status);
            if (m.reason != null && $Object.hasOwnProperty.call(m, "reason") && m.reason !== "")
                w.uint32(/* id 2, wireType 2 =*/18).string(m.reason);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Encodes the specified RelayVerdict message, length delimited. Does not implicitly {@link p2pnode.RelayVerdict.verify|verify} messages.
         * @function encodeDelimited
         * @memberof p2pnode.RelayVerdict
         * @static
         * @param {p2pnode.RelayVerdict.$Properties} message RelayVerdict message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        RelayVerdict.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a RelayVerdict message from the specified reader or buffer.
         * @function decode
         * @memberof p2pnode.RelayVerdict
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {p2pnode.RelayVerdict & p2pnode.RelayVerdict.$Shape} RelayVerdict
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        RelayVerdict.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.p2pnode.RelayVerdict();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 0)
                            break;
                        if (v = r.int32())
                            m.status = v;
                        else
                            delete m.status;
                        continue;
                    }
                case 2: {
                        if (u !== 2)
                            break;
                        if ((v = r.stringVerify()).length)
                            m.reason = v;
                        else
                            delete m.reason;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Decodes a RelayVerdict message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof p2pnode.RelayVerdict
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {p2pnode.RelayVerdict & p2pnode.RelayVerdict.$Shape} RelayVerdict
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        RelayVerdict.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a RelayVerdict message.
         * @function verify
         * @memberof p2pnode.RelayVerdict
         * @static
         * @param {Object.<string,*>} m Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        RelayVerdict.verify = function (m, q) {
            if (typeof m !== "object" || m === null)
                return "object expected";
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                return "max depth exceeded";
            if (m.status != null && $Object.hasOwnProperty.call(m, "status")) {
                if (typeof m.status !== "number" || (m.status | 0) !== m.status)
                    return "status: enum value expected";
            }
            if (m.reason != null && $Object.hasOwnProperty.call(m, "reason")) {
                if (!$util.isString(m.reason))
                    return "reason: string expected";
            }
            return null;
        };

        /**
         * Creates a RelayVerdict message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof p2pnode.RelayVerdict
         * @static
         * @param {Object.<string,*>} d Plain object
         * @returns {p2pnode.RelayVerdict} RelayVerdict
         */
        RelayVerdict.fromObject = function (d, q) {
            if (d instanceof $root.p2pnode.RelayVerdict)
                return d;
            if (!$util.isObject(d))
                throw $TypeError(".p2pnode.RelayVerdict: object expected");
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            var m = new $root.p2pnode.RelayVerdict();
            if (d.status !== 0 && (typeof d.status !== "string" || $root.p2pnode.RelayStatus[d.status] !== 0)) {
                switch (d.status) {
                case "RELAY_UNKNOWN":
                case 0:
                    m.status = 0;
                    break;
                case "RELAY_SPLICED":
                case 1:
                    m.status = 1;
                    break;
                case "RELAY_BUSY":
                case 2:
                    m.status = 2;
                    break;
                case "RELAY_REFUSED":
                case 3:
                    m.status = 3;
                    break;
                default:
                    if (typeof d.status === "number" && (d.status | 0) === d.status)
                        m.status = d.status;
                }
            }
            if (d.reason != null) {
                if (typeof d.reason !== "string" || d.reason.length) {
                    m.reason = $String(d.reason);
                }
            }
            return m;
        };

        /**
         * Creates a plain object from a RelayVerdict message. Also converts values to other types if specified.
         * @function toObject
         * @memberof p2pnode.RelayVerdict
         * @static
         * @param {p2pnode.RelayVerdict} m RelayVerdict
         * @param {$protobuf.IConversionOptions} [o] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        RelayVerdict.toObject = function (m, o, q) {
            if (!o)
                o = {};
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            var d = {};
            if (o.defaults) {
                d.status = o.enums === $String ? "RELAY_UNKNOWN" : 0;
                d.reason = "";
            }
            if (m.status != null && $Object.hasOwnProperty.call(m, "status")) {
                d.status = o.enums === $String ? $root.p2pnode.RelayStatus[m.status] === $undefined ? m.status : $root.p2pnode.RelayStatus[m.status] : m.status;
            }
            if (m.reason != null && $Object.hasOwnProperty.call(m, "reason")) {
                d.reason = m.reason;
            }
            return d;
        };

        /**
         * Converts this RelayVerdict to JSON.
         * @function toJSON
         * @memberof p2pnode.RelayVerdict
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        RelayVerdict.prototype.toJSON = function() {
            return RelayVerdict.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for RelayVerdict
         * @function getTypeUrl
         * @memberof p2pnode.RelayVerdict
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        RelayVerdict.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/p2pnode.RelayVerdict";
        };

        return RelayVerdict;
    })();

    return p2pnode;
})();

export {
  $root as default
};
