/**
 * Real-world `docker run` commands, in the style of the READMEs people paste them from
 * (linuxserver.io, Portainer, the official images), and the compose service each must give.
 */

export interface RunCase {
  name: string;
  command: string;
  /** The document the YAML must parse to. */
  document: Record<string, unknown>;
  /** The flags named in the warnings, in order. */
  warned?: string[];
}

export const RUN_CASES: RunCase[] = [
  {
    name: 'linuxserver/plex: host network, PUID/PGID, volumes, restart',
    command: `docker run -d \\
  --name=plex \\
  --net=host \\
  -e PUID=1000 \\
  -e PGID=1000 \\
  -e TZ=Etc/UTC \\
  -e VERSION=docker \\
  -e PLEX_CLAIM= \`#optional\` \\
  -v /path/to/plex/library:/config \\
  -v /path/to/tvseries:/tv \\
  --restart unless-stopped \\
  lscr.io/linuxserver/plex:latest`,
    document: {
      services: {
        plex: {
          image: 'lscr.io/linuxserver/plex:latest',
          container_name: 'plex',
          restart: 'unless-stopped',
          environment: {
            PUID: '1000',
            PGID: '1000',
            TZ: 'Etc/UTC',
            VERSION: 'docker',
            PLEX_CLAIM: '',
          },
          volumes: ['/path/to/plex/library:/config', '/path/to/tvseries:/tv'],
          network_mode: 'host',
        },
      },
    },
    // The README's `#optional` marker is a word of its own to a shell that does not expand it.
    warned: [],
  },
  {
    name: 'portainer: ports, the docker socket, a named volume',
    command:
      'docker run -d -p 8000:8000 -p 9443:9443 --name portainer --restart=always -v /var/run/docker.sock:/var/run/docker.sock -v portainer_data:/data portainer/portainer-ce:lts',
    document: {
      services: {
        portainer: {
          image: 'portainer/portainer-ce:lts',
          container_name: 'portainer',
          restart: 'always',
          ports: ['8000:8000', '9443:9443'],
          volumes: ['/var/run/docker.sock:/var/run/docker.sock', 'portainer_data:/data'],
        },
      },
      volumes: { portainer_data: { name: 'portainer_data' } },
    },
  },
  {
    name: 'nginx: read-only content, the image as the service name',
    command: 'docker run -v /some/content:/usr/share/nginx/html:ro -d -p 8080:80 nginx',
    document: {
      services: {
        nginx: {
          image: 'nginx',
          ports: ['8080:80'],
          volumes: ['/some/content:/usr/share/nginx/html:ro'],
        },
      },
    },
  },
  {
    name: 'postgres: health options, a password with a dollar sign, a passed-through variable',
    command: `docker run --name some-postgres -e 'POSTGRES_PASSWORD=pa$$word' -e PGDATA \\
  --health-cmd "pg_isready -U postgres" --health-interval=10s --health-timeout 5s \\
  --health-retries 5 --health-start-period 1m30s --health-start-interval 2s \\
  --shm-size 256m -d postgres:16 -c max_connections=200`,
    document: {
      services: {
        'some-postgres': {
          image: 'postgres:16',
          container_name: 'some-postgres',
          command: ['-c', 'max_connections=200'],
          environment: { POSTGRES_PASSWORD: 'pa$$$$word', PGDATA: null },
          healthcheck: {
            test: ['CMD-SHELL', 'pg_isready -U postgres'],
            interval: '10s',
            timeout: '5s',
            retries: 5,
            start_period: '1m30s',
            start_interval: '2s',
          },
          shm_size: '256m',
        },
      },
    },
    warned: ['$'],
  },
  {
    name: 'linuxserver/wireguard: capabilities, a sysctl, udp, a read-only bind',
    command: `docker run -d \\
  --name=wireguard \\
  --cap-add=NET_ADMIN \\
  --cap-add=SYS_MODULE \`#optional\` \\
  -e PUID=1000 \\
  -p 51820:51820/udp \\
  -v /path/to/wireguard/config:/config \\
  -v /lib/modules:/lib/modules:ro \\
  --sysctl="net.ipv4.conf.all.src_valid_mark=1" \\
  --restart unless-stopped \\
  lscr.io/linuxserver/wireguard:latest`,
    document: {
      services: {
        wireguard: {
          image: 'lscr.io/linuxserver/wireguard:latest',
          container_name: 'wireguard',
          restart: 'unless-stopped',
          environment: { PUID: '1000' },
          ports: ['51820:51820/udp'],
          volumes: ['/path/to/wireguard/config:/config', '/lib/modules:/lib/modules:ro'],
          cap_add: ['NET_ADMIN', 'SYS_MODULE'],
          sysctls: { 'net.ipv4.conf.all.src_valid_mark': '1' },
        },
      },
    },
  },
  {
    name: 'pi-hole: tcp and udp on one port, DNS servers, a hosts entry, a hostname',
    command: `docker run -d --name pihole -p 53:53/tcp -p 53:53/udp -p 80:80 \\
  -e TZ="America/Chicago" -v "$(pwd)/etc-pihole:/etc/pihole" \\
  --dns=127.0.0.1 --dns=1.1.1.1 --restart=unless-stopped --hostname pi.hole \\
  -e VIRTUAL_HOST="pi.hole" --add-host pi.hole:127.0.0.1 pihole/pihole:latest`,
    document: {
      services: {
        pihole: {
          image: 'pihole/pihole:latest',
          container_name: 'pihole',
          hostname: 'pi.hole',
          restart: 'unless-stopped',
          environment: { TZ: 'America/Chicago', VIRTUAL_HOST: 'pi.hole' },
          ports: ['53:53', '53:53/udp', '80:80'],
          volumes: ['./etc-pihole:/etc/pihole'],
          dns: ['127.0.0.1', '1.1.1.1'],
          extra_hosts: ['pi.hole:127.0.0.1'],
        },
      },
    },
    warned: ['-v'],
  },
  {
    name: 'jellyfin: a device, a user and group, --mount bind and tmpfs with a size',
    command: `docker run -d --name jellyfin --user 1000:1000 --group-add 122 \
  --mount type=bind,source=/srv/jellyfin/config,target=/config \
  --mount type=bind,src=/srv/media,dst=/media,readonly \
  --mount type=tmpfs,target=/cache,tmpfs-size=1g \
  --mount type=volume,target=/transcode \
  --device /dev/dri:/dev/dri --device=/dev/snd:/dev/snd:r \
  -p 8096:8096 --restart=on-failure:5 jellyfin/jellyfin`,
    document: {
      services: {
        jellyfin: {
          image: 'jellyfin/jellyfin',
          container_name: 'jellyfin',
          restart: 'on-failure:5',
          user: '1000:1000',
          ports: ['8096:8096'],
          volumes: [
            '/srv/jellyfin/config:/config',
            '/srv/media:/media:ro',
            { type: 'tmpfs', target: '/cache', tmpfs: { size: 1073741824 } },
            '/transcode',
          ],
          devices: ['/dev/dri:/dev/dri', '/dev/snd:/dev/snd:r'],
          group_add: ['122'],
        },
      },
    },
  },
  {
    name: 'every other common flag at once',
    command: `sudo docker container run -dit --name api --hostname api-1 \
  --network backend --network-alias api --network-alias api.internal --ip 172.30.0.10 \
  -p 127.0.0.1:8080:80 -p 127.0.0.1::9000 -p 7000-7002:7000-7002 -p '[::1]:8443:443' -p 5000 \
  -p 6000-6010:6000 --expose 9100 \
  -v data:/var/lib/app:nocopy -v /etc/app:/etc/app:ro,Z -v /scratch \
  --tmpfs /run:rw,noexec,size=64m --env-file ./app.env --env-file=/etc/common.env \
  -e MODE=production --label traefik.enable=true -l "com.example.team=core" \
  --entrypoint /usr/bin/tini -w /srv -u app --cap-add=net_bind_service --cap-drop ALL \
  --privileged --memory 512m --memory-reservation 256m --cpus=1.5 --pids-limit 200 \
  --log-driver json-file --log-opt max-size=10m --log-opt max-file=3 \
  --ulimit nofile=1024:4096 --ulimit nproc=512 --sysctl net.core.somaxconn=1024 \
  --add-host db.local:10.0.0.5 --dns 9.9.9.9 --dns-search corp.example --init --read-only \
  --shm-size=128m --stop-signal SIGINT --stop-timeout 30 --security-opt no-new-privileges \
  --pid host --gpus all --platform linux/arm64 --pull always \
  ghcr.io/example/api:2.1 -- serve --port 80`,
    document: {
      services: {
        api: {
          image: 'ghcr.io/example/api:2.1',
          container_name: 'api',
          hostname: 'api-1',
          platform: 'linux/arm64',
          pull_policy: 'always',
          restart: undefined,
          user: 'app',
          working_dir: '/srv',
          entrypoint: ['/usr/bin/tini'],
          command: ['--', 'serve', '--port', '80'],
          environment: { MODE: 'production' },
          env_file: ['./app.env', '/etc/common.env'],
          ports: [
            '127.0.0.1:8080:80',
            '127.0.0.1::9000',
            '7000-7002:7000-7002',
            '[::1]:8443:443',
            '5000',
            '6000-6010:6000',
          ],
          expose: ['9100'],
          volumes: ['data:/var/lib/app:nocopy', '/etc/app:/etc/app:ro,Z', '/scratch'],
          tmpfs: ['/run:rw,noexec,size=64m'],
          networks: { backend: { aliases: ['api', 'api.internal'], ipv4_address: '172.30.0.10' } },
          labels: { 'traefik.enable': 'true', 'com.example.team': 'core' },
          cap_add: ['NET_BIND_SERVICE'],
          cap_drop: ['ALL'],
          privileged: true,
          pid: 'host',
          security_opt: ['no-new-privileges'],
          sysctls: { 'net.core.somaxconn': '1024' },
          stop_grace_period: '30s',
          logging: { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } },
          deploy: {
            resources: {
              limits: { cpus: '1.5', memory: '512m', pids: 200 },
              reservations: {
                devices: [{ driver: 'nvidia', count: 'all', capabilities: ['gpu'] }],
              },
            },
          },
          stdin_open: true,
          tty: true,
          mem_reservation: '256m',
          ulimits: { nofile: { soft: 1024, hard: 4096 }, nproc: 512 },
          extra_hosts: ['db.local:10.0.0.5'],
          dns: ['9.9.9.9'],
          dns_search: ['corp.example'],
          init: true,
          read_only: true,
          shm_size: '128m',
          stop_signal: 'SIGINT',
        },
      },
      networks: { backend: { name: 'backend', external: true } },
      volumes: { data: { name: 'data' } },
    },
  },
  {
    name: 'flags compose cannot carry and flags nobody knows are named, never dropped silently',
    command:
      'docker run --rm -P --cidfile /tmp/id --frobnicate --colour=blue -X --ip6 fd00::5 --network-alias lonely -m lots alpine echo hi',
    document: { services: { alpine: { image: 'alpine', command: ['echo', 'hi'] } } },
    warned: [
      '--rm',
      '-P',
      '--cidfile',
      '--frobnicate',
      '--colour',
      '-X',
      '--ip6',
      '-m',
      '--network-alias',
    ],
  },
  {
    name: 'an entrypoint cleared, a restart of "no", switches turned off, a bare docker run',
    command:
      'run --entrypoint "" --restart no --init=false --privileged=false -t=false busybox:1.36',
    document: { services: { busybox: { image: 'busybox:1.36', entrypoint: [] } } },
  },
  {
    name: 'rarer flags: networks in docker 25 form, links, namespaces, kernel and cgroup knobs',
    command: `docker run --network name=front,alias=shop --network 'name=back,"alias=db,primary",ip=10.1.0.9' \
  --link legacy-db:db --volumes-from data-only --mac-address 02:42:ac:11:00:02 --dns-opt ndots:2 \
  --mount type=volume,source=cache,target=/cache,volume-nocopy --memory-swap=-1 --memory-swappiness 10 \
  --cpu-shares 512 -c=256 --cpuset-cpus 0-1 --cpu-period 100000 --cpu-quota 50000 --oom-score-adj 100 \
  --oom-kill-disable --blkio-weight 300 --storage-opt size=10G --device-cgroup-rule 'c 1:3 mr' \
  --userns host --uts host --cgroupns private --ipc shareable --runtime runsc --cgroup-parent /berth \
  --label-file ./labels --log-opt tag=shop --domainname example.org --no-healthcheck \
  --health-interval=soon --ulimit core=-1 -e=EQUALS=yes shop:1`,
    document: {
      services: {
        shop: {
          image: 'shop:1',
          domainname: 'example.org',
          environment: { EQUALS: 'yes' },
          volumes: ['cache:/cache:nocopy'],
          networks: {
            front: { aliases: ['shop'] },
            back: { aliases: ['db,primary'], ipv4_address: '10.1.0.9' },
          },
          healthcheck: { disable: true },
          ipc: 'shareable',
          logging: { options: { tag: 'shop' } },
          external_links: ['legacy-db:db'],
          volumes_from: ['container:data-only'],
          mac_address: '02:42:ac:11:00:02',
          dns_opt: ['ndots:2'],
          memswap_limit: '-1',
          mem_swappiness: 10,
          cpu_shares: 256,
          cpuset: '0-1',
          cpu_period: 100000,
          cpu_quota: 50000,
          oom_score_adj: 100,
          oom_kill_disable: true,
          blkio_config: { weight: 300 },
          storage_opt: { size: '10G' },
          device_cgroup_rules: ['c 1:3 mr'],
          userns_mode: 'host',
          uts: 'host',
          cgroup: 'private',
          runtime: 'runsc',
          cgroup_parent: '/berth',
          label_file: ['./labels'],
          ulimits: { core: -1 },
        },
      },
      networks: {
        front: { name: 'front', external: true },
        back: { name: 'back', external: true },
      },
      volumes: { cache: { name: 'cache' } },
    },
    warned: ['--health-interval'],
  },
];
